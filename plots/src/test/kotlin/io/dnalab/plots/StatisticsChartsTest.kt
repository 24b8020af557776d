package io.dnalab.plots

import io.dnalab.metrics.LearningCurvePoint
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import javax.imageio.ImageIO

/**
 * Each chart rendered to SVG: its titles, axis labels and the number of marks. Lets-Plot draws a
 * point as a `<circle>` (legend keys of a point layer are circles too, so counts include them) and
 * a line series as a `<path d="M…">`.
 */
class StatisticsChartsTest {
    private fun count(svg: String, fragment: String) = Regex(Regex.escape(fragment)).findAll(svg).count()

    /** Every piece of text the SVG shows (`<text>` and `<tspan>` contents, trimmed). */
    private fun texts(svg: String): List<String> =
        Regex("<(?:text|tspan)[^>]*>([^<]*)<").findAll(svg).map { it.groupValues[1].trim() }.filter { it.isNotEmpty() }.toList()

    /** Lets-Plot's dash pattern for `linetype = "dotted"` at size 1. */
    private val dotted = "stroke-dasharray=\"2.2,7.040000000000001\""
    private val dashed = "stroke-dasharray=\"7.095000000000001,7.095000000000001\""

    @Test
    fun `metric by model and tokenizer shows a mean and a CI bar per cell`() {
        val svg = FigureExport.svg(IntervalCharts.metricByModelAndTokenizer(ChartFixtures.cells, "mcc"))
        assertThat(svg).contains("test MCC: mean and 95% CI (t for 3 seeds)")
        assertThat(texts(svg)).contains("model", "test mcc", "tokenizer")
        assertThat(svg).contains("bert-l4-h256").contains("convnova-d64-k5").contains("bpe-4096").contains("kmer-6")
        // 4 cells + 2 legend keys.
        assertThat(count(svg, "<circle")).isEqualTo(6)
    }

    @Test
    fun `interval descriptions name the method and the number of seeds`() {
        val three = io.dnalab.metrics.MeanIntervals.of(0.1, 0.2, 0.4)
        val twelve = io.dnalab.metrics.MeanIntervals.of(*DoubleArray(12) { it / 10.0 })
        assertThat(IntervalCharts.describe(listOf(three, twelve))).isEqualTo("95% CI (t for 3 seeds, bootstrap for 12 seeds)")
        assertThat(IntervalCharts.describe(listOf(io.dnalab.metrics.MeanIntervals.of(0.3)))).isEqualTo("no interval (1 seed)")
        assertThat(IntervalCharts.describe(listOf(three, io.dnalab.metrics.MeanIntervals.of(0.3))))
            .isEqualTo("95% CI (t for 3 seeds, none for 1 seed)")
    }

    @Test
    fun `forest plot has one row per comparison, a zero line and verdict colours`() {
        val svg = FigureExport.svg(GainCharts.forest(ChartFixtures.gains))
        assertThat(svg).contains("pretraining gain in test MCC, paired over seeds").contains("95% CI (t for 3 seeds)")
        assertThat(svg).contains("gain in test mcc (pretrained − random init)")
        // Row names say what differs; what all share goes to the caption.
        assertThat(texts(svg)).contains("bert-l4-h256 · bpe-4096", "bert-l4-h256 · kmer-6", "convnova-d64-k5 · bpe-4096")
        assertThat(svg).contains("task gue/tf_0, pretraining mlm-2000")
        assertThat(texts(svg)).contains("better", "worse", "no clear difference")
        // 3 comparisons + 3 legend keys; one dashed zero line.
        assertThat(count(svg, "<circle")).isEqualTo(6)
        assertThat(count(svg, dashed)).isEqualTo(1)
    }

    @Test
    fun `gain against cost uses a log axis named by the device-hour unit`() {
        val svg = FigureExport.svg(GainCharts.gainVsCost(ChartFixtures.gains))
        assertThat(svg).contains("pretraining gain in test MCC against its cost")
        assertThat(svg).contains("pretraining cost (CPU-hours, log scale)")
        assertThat(texts(svg)).contains("gain in test mcc")
        assertThat(count(svg, dashed)).isEqualTo(1)
        // 3 comparisons: 2 drawn as circles (bpe-4096), 1 as a triangle (kmer-6); legend keys: 2
        // models as circles, the bpe-4096 shape as a circle.
        assertThat(count(svg, "<circle")).isEqualTo(5)

        val perPflop = FigureExport.svg(GainCharts.gainVsCost(ChartFixtures.gains, GainCharts.CostAxis.PFLOP))
        assertThat(perPflop).contains("pretraining cost (PFLOP, log scale)")
            .contains("1 comparison(s) without this cost left out")
    }

    @Test
    fun `learning curves draw one line per series and split in each panel, and the baseline`() {
        val svg = FigureExport.svg(LearningCurveCharts.curves(ChartFixtures.curves, UnigramBaseline(1.38, 0.27), "pretraining, 4-layer encoder"))
        assertThat(svg).contains("pretraining, 4-layer encoder").contains("unigram baseline")
        assertThat(texts(svg)).contains("loss", "accuracy", "step")
        assertThat(texts(svg)).contains("mlm", "randomMask", "validation")
        // 2 series × 2 splits × 2 panels.
        assertThat(count(svg, "<path d=\"M")).isEqualTo(8)
        // The baseline in each panel.
        assertThat(count(svg, dotted)).isEqualTo(2)

        val noBaseline = FigureExport.svg(LearningCurveCharts.curves(ChartFixtures.curves))
        assertThat(count(noBaseline, dotted)).isZero()
    }

    @Test
    fun `learning curves leave out unmeasured values`() {
        val lossOnly = listOf(
            LearningCurvePoint("mlm", 0, "validation", 1.5, Double.NaN),
            LearningCurvePoint("mlm", 10, "validation", 1.4, Double.NaN),
        )
        val svg = FigureExport.svg(LearningCurveCharts.curves(lossOnly, UnigramBaseline(1.38, 0.27)))
        assertThat(texts(svg)).contains("loss").doesNotContain("accuracy")
        assertThat(count(svg, "<path d=\"M")).isEqualTo(1)
        assertThat(count(svg, dotted)).isEqualTo(1)
    }

    @Test
    fun `the unigram baseline is the entropy and the top frequency of the counts`() {
        // scipy: stats.entropy([50, 30, 15, 5, 0]) = 1.1421200429883351; max share 50 / 100.
        val baseline = UnigramBaseline.fromCounts(listOf(50L, 30L, 15L, 5L, 0L))
        assertThat(baseline.loss).isCloseTo(1.1421200429883351, org.assertj.core.api.Assertions.within(1e-12))
        assertThat(baseline.accuracy).isEqualTo(0.5)
        assertThrows<IllegalArgumentException> { UnigramBaseline.fromCounts(listOf(0L, 0L)) }
            .also { assertThat(it).hasMessageContaining("no tokens counted") }
    }

    @Test
    fun `token embeddings project by PCA, coloured by GC fraction, special tokens left out`() {
        val tokens = listOf("[CLS]", "A", "C", "G", "T", "GC", "AT", "GGCC", "AATT", "ACGT")
        val random = java.util.Random(1)
        val embeddings = Array(tokens.size) { FloatArray(8) { random.nextGaussian().toFloat() } }
        val svg = FigureExport.svg(EmbeddingCharts.tokenProjection(embeddings, tokens, "bert-l4-h256 · bpe-4096"))
        assertThat(svg).contains("bert-l4-h256 · bpe-4096: PCA projection, coloured by GC fraction (9 tokens)")
        assertThat(svg).containsPattern("PC1 \\(\\d+\\.\\d% of variance\\)").containsPattern("PC2 \\(\\d+\\.\\d% of variance\\)")
        assertThat(svg).contains("GC fraction")
        assertThat(count(svg, "<circle")).isEqualTo(9)
    }

    @Test
    fun `bad inputs are named`() {
        assertThrows<IllegalArgumentException> { EmbeddingCharts.tokenProjection(arrayOf(FloatArray(2), FloatArray(2)), listOf("A")) }
            .also { assertThat(it).hasMessageContaining("2 embedding rows but 1 tokens") }
        assertThrows<IllegalArgumentException> { GainCharts.forest(emptyList()) }
            .also { assertThat(it).hasMessageContaining("no pretraining gains") }
        val mixed = ChartFixtures.gains + ChartFixtures.gains[0].let {
            io.dnalab.metrics.PretrainingGain(it.task(), it.tokenizer(), it.model(), it.pretrain(), it.baseline(), "accuracy", it.gain(), it.cost())
        }
        assertThrows<IllegalArgumentException> { GainCharts.forest(mixed) }
            .also { assertThat(it).hasMessageContaining("one chart compares one metric; got [mcc, accuracy]") }
    }

    @Test
    fun `charts export to png`(@TempDir dir: Path) {
        val png = FigureExport.savePng(GainCharts.forest(ChartFixtures.gains), dir.resolve("forest.png"), 320.0, 200.0, scale = 1.0)
        assertThat(ImageIO.read(png.toFile()).width).isEqualTo(320)
    }
}
