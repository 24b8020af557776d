package io.dnalab.dsl

import io.dnalab.result.RunResult
import io.dnalab.result.MetricSet
import io.dnalab.plots.FigureExport
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

class ResultsTest {
    private val spec = experimentSpec("cmp") { task(gue("tf_0")); model(convNova(), cnnBaseline()); seeds(2) }

    private fun run(model: String, seed: Long, mcc: Double, wall: Double) = RunResult(
        "cmp", "gue/tf_0", "nucleotide", model, "none", seed,
        MetricSet(100, 0.8, mcc + 0.01, 0.8, 0.9, 0.9, 0.4),
        MetricSet(100, 0.75, mcc, 0.75, 0.85, 0.86, 0.5),
        if (model == "cnn-baseline") 53_166 else 378_050, wall, 3, 300, 2, "PyTorch 2.5.1 cpu()",
    )

    private val results = Results(
        spec,
        listOf(
            run("convnova-d64-k5", 1, 0.70, 60.0), run("convnova-d64-k5", 2, 0.72, 62.0),
            run("cnn-baseline", 1, 0.60, 10.0), run("cnn-baseline", 2, 0.60, 12.0),
        ),
    )

    @Test
    fun `summary reports mean ± sd per cell with cost`() {
        val summary = results.summary()
        assertThat(summary.caption).isEqualTo("cmp: test metrics, mean ± sd over seeds; 95% CI (t for 2 seeds)")
        // ConvNova: mean 0.71, sd of (0.70, 0.72) = sqrt((0.01² + 0.01²) / 1) = 0.0141; the t
        // interval on 1 degree of freedom, from scipy:
        // stats.t.interval(0.95, 1, loc=0.71, scale=stats.sem([0.70, 0.72])) = (0.58294, 0.83706).
        // Cost: 60 + 62 s on the CPU = 0.0339 CPU-hours.
        assertThat(summary.rows[0]).containsExactly(
            "gue/tf_0", "nucleotide", "convnova-d64-k5", "none", "2",
            "0.710 ± 0.014", "0.750 ± 0.000", "0.850 ± 0.000", "[0.583, 0.837]", "378,050", "61.0",
            "0.034 CPU-hour",
        )
        assertThat(summary.rows[1]).contains("cnn-baseline", "0.600 ± 0.000", "[0.600, 0.600]", "53,166", "11.0", "0.006 CPU-hour")
    }

    @Test
    fun `html holds the summary, then every run behind a details element`() {
        val html = results.toHtml()
        assertThat(html.indexOf("test metrics, mean ± sd")).isLessThan(html.indexOf("<details>"))
        assertThat(html).contains("<summary>every run (4)</summary>")
        assertThat(results.toDataFrame().rowsCount()).isEqualTo(4)
        assertThat(results.toDataFrame().columnNames()).contains("seed", "test_mcc", "wall_seconds", "device")
    }

    @Test
    fun `the chart shows each cell`() {
        val svg = FigureExport.svg(plot(results).perSeed())
        assertThat(svg).contains("convnova-d64-k5").contains("cnn-baseline").contains("test MCC per seed")
    }

    @Test
    fun `gue cells sit next to the published numbers of their task`() {
        val table = results.againstPublished()
        assertThat(table.columns).contains("DNABERT-2 (published)", "DNABERT (6-mer) (published)")
        // ConvNova: mean 0.71 of (0.70, 0.72); t(0.975, 1) = 12.706, sd/sqrt(2) = 0.01 -> ±12.7 points.
        assertThat(table.rows[0]).startsWith("tf_0", "nucleotide · convnova-d64-k5 · none", "71.0 [58.3, 83.7]")
        assertThat(table.rows[0]).contains("71.99", "66.84")
        assertThat(FigureExport.svg(plot(results).againstPublished())).contains("<svg", "published results")
    }
}
