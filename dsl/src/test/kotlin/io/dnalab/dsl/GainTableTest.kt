package io.dnalab.dsl

import io.dnalab.result.RunResult
import io.dnalab.result.Cost
import io.dnalab.result.MetricSet
import io.dnalab.metrics.Verdict
import io.dnalab.plots.FigureExport
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.within
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * Expected intervals from scipy, `stats.t.interval(0.95, 2, loc=d.mean(), scale=stats.sem(d))`:
 * d = (0.05, 0.06, 0.04) → (0.02516, 0.07484); d = (−0.01, 0.02, −0.01) → (−0.04303, 0.04303).
 * p-values, `stats.ttest_1samp(d, 0).pvalue`: 0.013072457560346515 and 1.0; Holm over the two,
 * `multipletests([0.013072457560346515, 1.0], method='holm')[1]` (statsmodels 0.15.0):
 * [0.02614492, 1.0].
 */
class GainTableTest {
    private val spec = experimentSpec("gain") { task(gue("tf_0")); model(convNova()); seeds(3) }

    private fun run(
        model: String, tokenizer: String, pretrain: String, seed: Long, mcc: Double, wall: Double,
        pretrainSeed: Long? = if (pretrain == "none") null else 0L,
    ) = RunResult(
        "gain", "gue/tf_0", tokenizer, model, pretrain, seed,
        MetricSet(100, 0.8, mcc, 0.8, 0.9, 0.9, 0.4),
        MetricSet(100, 0.75, mcc, 0.75, 0.85, 0.86, 0.5),
        100_000, wall, 3, 300, 2, "PyTorch 2.5.1 cpu(), 2 intra-op threads", -1, Double.NaN, pretrainSeed, null,
    )

    private val results = Results(
        spec,
        listOf(
            // BERT · bpe: pretrained − random = 0.05, 0.06, 0.04 → better.
            run("bert-l2-h64", "bpe-512", "none", 1, 0.60, 600.0),
            run("bert-l2-h64", "bpe-512", "none", 2, 0.61, 600.0),
            run("bert-l2-h64", "bpe-512", "none", 3, 0.62, 600.0),
            run("bert-l2-h64", "bpe-512", "mlm", 1, 0.65, 1800.0),
            run("bert-l2-h64", "bpe-512", "mlm", 2, 0.67, 1800.0),
            run("bert-l2-h64", "bpe-512", "mlm", 3, 0.66, 1800.0),
            // ConvNova: −0.01, 0.02, −0.01 → no clear difference.
            run("convnova", "nucleotide", "none", 1, 0.70, 100.0),
            run("convnova", "nucleotide", "none", 2, 0.72, 100.0),
            run("convnova", "nucleotide", "none", 3, 0.71, 100.0),
            run("convnova", "nucleotide", "mlm", 1, 0.69, 360.0),
            run("convnova", "nucleotide", "mlm", 2, 0.74, 360.0),
            run("convnova", "nucleotide", "mlm", 3, 0.70, 360.0),
            // No random-init arm: left out.
            run("bert-l2-h64", "kmer-6", "mlm", 1, 0.5, 100.0),
        ),
    )

    @Test
    fun `paired gains per cell with t interval, bootstrap, verdict and cost`() {
        val table = results.pretrainingGain()
        assertThat(table.gains).hasSize(2)
        val bert = table.gains[0]
        assertThat(bert.gain().mean()).isCloseTo(0.05, within(1e-12))
        assertThat(bert.gain().interval().low()).isCloseTo(0.0251586228824967, within(1e-12))
        assertThat(bert.gain().verdict()).isEqualTo(Verdict.BETTER)
        assertThat(table.gains[1].gain().verdict()).isEqualTo(Verdict.NO_CLEAR_DIFFERENCE)

        val rendered = table.toTable()
        assertThat(rendered.caption).isEqualTo(
            "gain: pretraining gain in test mcc (pretrained − none, paired by fine-tuning seed); " +
                "one pretraining run per arm, so the interval is over fine-tuning seeds only " +
                "(fine-tuning noise around one pretrained checkpoint, not the effect of pretraining); " +
                "95% CI (t for 3 seeds); better / worse only when the CI excludes 0; " +
                "bootstrap over test examples: — (per-example test predictions not available); " +
                "p: two-sided one-sample t-test of the unit differences; Holm p: Holm-adjusted over the 2 gains of this table; " +
                "cost: mean wall time of one pretrained-arm run (RunResult.wallSeconds), no FLOP estimate",
        )
        // Cost: 1800 s = 0.5 CPU-hour, so 0.05 / 0.5 = 0.1 per CPU-hour, interval × 2.
        assertThat(rendered.rows[0]).containsExactly(
            "gue/tf_0", "bert-l2-h64", "bpe-512", "mlm", "1 × 3",
            "0.050 ± 0.010", "[0.025, 0.075] t", "[0.040, 0.060]", "—", "0.0131", "0.0261", "better",
            "0.500 CPU-hour", "0.100 / CPU-hour [0.050, 0.150]", "—",
        )
        assertThat(bert.gain().pValue()).isCloseTo(0.013072457560346515, within(1e-12))
        assertThat(table.holmAdjusted()[0]).isCloseTo(0.02614492, within(1e-8))
        assertThat(rendered.rows[1]).contains("convnova", "0.000 ± 0.017", "[-0.043, 0.043] t", "1.00", "no clear difference")
        assertThat(table.toHtml()).contains("<td>better</td>").doesNotContain("<script")
    }

    @Test
    fun `a cost function gives the FLOPs and the device`() {
        val table = results.pretrainingGain(cost = { _ -> Cost.of(3600.0, 5e15, "gpu(0)") }, costDescription = "pretraining, measured")
        assertThat(table.toTable().caption).endsWith("; cost: pretraining, measured")
        assertThat(results.pretrainingGain(cost = { _ -> Cost.of(1.0, Double.NaN, "") }).toTable().caption).endsWith("; cost: as given")
        val row = table.toTable().rows[0]
        assertThat(table.toTable().columns).contains("p", "Holm p", "bootstrap Δ over test examples [lo, hi]")
        assertThat(row).contains("1.000 GPU-hour, 5.00 PFLOP", "0.0500 / GPU-hour [0.025, 0.075]", "0.0100 / PFLOP [0.005, 0.015]")
    }

    @Test
    fun `no baseline arm is a clear error`() {
        val onlyPretrained = Results(spec, results.runs.filter { it.pretrain() == "mlm" })
        val error = assertThrows<IllegalArgumentException> { onlyPretrained.pretrainingGain() }
        assertThat(error).hasMessageContaining("no cell has both a 'none' arm and a pretrained arm")
            .hasMessageContaining("[mlm]")
    }

    @Test
    fun `an unmeasured metric names the cell`() {
        val withNan = Results(spec, results.runs.map { if (it.seed() == 2L && it.pretrain() == "mlm") run(it.model(), it.tokenizer(), "mlm", 2, Double.NaN, 1.0) else it })
        val error = assertThrows<IllegalArgumentException> { withNan.pretrainingGain() }
        assertThat(error).hasMessageContaining("pretraining gain of gue/tf_0 · bert-l2-h64 · bpe-512 · mlm: value 1 is NaN")
        // The summary still renders, without an interval for those cells.
        val rows = withNan.summary().rows
        assertThat(rows[1].subList(0, 4)).containsExactly("gue/tf_0", "bpe-512", "bert-l2-h64", "mlm")
        assertThat(rows[1][8]).isEqualTo("—")
        assertThat(rows[0][8]).isEqualTo("[0.585, 0.635]")
    }

    @Test
    fun `plot(results) gives the gain charts`() {
        val forest = FigureExport.svg(plot(results).pretrainingGain())
        assertThat(forest).contains("pretraining gain in test MCC, paired over seeds")
        val cost = FigureExport.svg(plot(results).gainVsCost())
        assertThat(cost).contains("pretraining cost (CPU-hours, log scale)")
        val metric = FigureExport.svg(plot(results).metric())
        assertThat(metric).contains("test MCC: mean and 95% CI (t for 3 seeds, none for 1 seed)")
    }
}
