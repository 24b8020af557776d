package io.dnalab.plots

import io.dnalab.result.RunResult
import io.dnalab.metrics.Spread
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.facet.facetWrap
import org.jetbrains.letsPlot.geom.geomErrorBar
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.themes.themeMinimal

/** Charts over finished runs. */
object ResultCharts {
    /**
     * A test metric per cell: one small dot per seed, a large dot at the mean and a bar of ± 1 sd,
     * one panel per task. Cells are labelled by what varies between them (model, tokenizer,
     * pretraining).
     */
    fun metricByModel(runs: List<RunResult>, metric: String = "mcc"): Figure {
        require(runs.isNotEmpty()) { "no finished runs to plot" }
        val label = cellLabeller(runs)
        val seeds = mapOf(
            "task" to runs.map { it.task() },
            "cell" to runs.map(label),
            metric to runs.map { it.test().get(metric) },
        )
        val groups = runs.groupBy { it.task() to label(it) }
        val spreads = groups.mapValues { (_, group) -> Spread.of(*group.map { it.test().get(metric) }.toDoubleArray()) }
        val means = mapOf(
            "task" to groups.keys.map { it.first },
            "cell" to groups.keys.map { it.second },
            metric to spreads.values.map { it.mean() },
            "low" to spreads.values.map { if (it.sd().isNaN()) it.mean() else it.mean() - it.sd() },
            "high" to spreads.values.map { if (it.sd().isNaN()) it.mean() else it.mean() + it.sd() },
        )
        var plot = letsPlot(seeds) +
            geomPoint(alpha = 0.45, size = 2.5) {
                x = "cell"; y = metric
            } +
            geomErrorBar(data = means, width = 0.25) { x = "cell"; ymin = "low"; ymax = "high" } +
            geomPoint(data = means, size = 4.5, color = "#C44E52") { x = "cell"; y = metric } +
            labs(title = "test ${metric.uppercase()} per seed, mean ± sd", x = "", y = "test $metric") +
            themeMinimal()
        if (runs.map { it.task() }.distinct().size > 1) {
            plot += facetWrap(facets = "task")
        }
        return plot
    }

    /** Labels a run by the parts of its cell that differ across [runs]; the model always. */
    fun cellLabeller(runs: List<RunResult>): (RunResult) -> String {
        val varyTokenizer = runs.map { it.tokenizer() }.distinct().size > 1
        val varyPretrain = runs.map { it.pretrain() }.distinct().size > 1
        return { run ->
            buildList {
                add(run.model())
                if (varyTokenizer) add(run.tokenizer())
                if (varyPretrain) add("pretrain: " + run.pretrain())
            }.joinToString(" · ")
        }
    }
}
