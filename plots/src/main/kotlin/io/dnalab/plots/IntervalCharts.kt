package io.dnalab.plots

import io.dnalab.result.RunResult
import io.dnalab.metrics.Interval
import io.dnalab.metrics.MeanIntervals
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.facet.facetWrap
import org.jetbrains.letsPlot.geom.geomErrorBar
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.pos.positionDodge
import org.jetbrains.letsPlot.themes.themeMinimal

/**
 * The values of one cell of a grid over seeds (plain input, independent of how runs are stored).
 *
 * @param values one value of the metric per seed
 */
data class CellValues(
    val task: String,
    val model: String,
    val tokenizer: String,
    val pretrain: String,
    val values: List<Double>,
)

/** Charts of means with their 95% confidence intervals. */
object IntervalCharts {
    /**
     * A metric per model (x) and tokenizer (colour), one panel per task: the mean over seeds with
     * its 95% interval as an error bar ([MeanIntervals.of]: Student t below 10 seeds, percentile
     * bootstrap from 10). The title says which interval the bars show. Cells with a single seed
     * show the mean without a bar.
     */
    fun metricByModelAndTokenizer(cells: List<CellValues>, metric: String): Figure {
        require(cells.isNotEmpty()) { "no cells to plot" }
        val varyPretrain = cells.map { it.pretrain }.distinct().size > 1
        val intervals = cells.map { MeanIntervals.of(*it.values.toDoubleArray()) }
        val colour = cells.map { if (varyPretrain) "${it.tokenizer} · pretrain: ${it.pretrain}" else it.tokenizer }
        val data = mapOf(
            "task" to cells.map { it.task },
            "model" to cells.map { it.model },
            "tokenizer" to colour,
            "mean" to intervals.map { it.estimate() },
            "low" to intervals.map { if (it.defined()) it.low() else it.estimate() },
            "high" to intervals.map { if (it.defined()) it.high() else it.estimate() },
        )
        val dodge = positionDodge(0.5)
        var plot = letsPlot(data) +
            geomErrorBar(width = 0.3, position = dodge) { x = "model"; ymin = "low"; ymax = "high"; color = "tokenizer" } +
            geomPoint(size = 4.0, position = dodge) { x = "model"; y = "mean"; color = "tokenizer" } +
            labs(
                title = "test ${metric.uppercase()}: mean and ${describe(intervals)}",
                x = "model",
                y = "test $metric",
                color = if (varyPretrain) "tokenizer · pretraining" else "tokenizer",
            ) +
            themeMinimal()
        if (cells.map { it.task }.distinct().size > 1) {
            plot += facetWrap(facets = "task")
        }
        return plot
    }

    /** The same chart from finished runs, grouped by task × model × tokenizer × pretraining. */
    @JvmName("metricByModelAndTokenizerOfRuns")
    fun metricByModelAndTokenizer(runs: List<RunResult>, metric: String = "mcc"): Figure =
        metricByModelAndTokenizer(cellValues(runs, metric), metric)

    /** Groups runs into cells, one value of [metric] (on test) per run. */
    fun cellValues(runs: List<RunResult>, metric: String): List<CellValues> =
        runs.groupBy { listOf(it.task(), it.model(), it.tokenizer(), it.pretrain()) }
            .map { (cell, group) -> CellValues(cell[0], cell[1], cell[2], cell[3], group.map { it.test().get(metric) }) }

    /**
     * Names the intervals a chart or table shows, e.g. `95% CI (t for 3 seeds)` or
     * `95% CI (t for 3 seeds, bootstrap for 12 seeds, none for 1 seed)`.
     */
    fun describe(intervals: List<Interval>): String {
        val parts = intervals.filter { it.defined() }
            .groupBy { it.method() }
            .map { (method, group) ->
                val seeds = group.map { it.n() }.distinct().sorted()
                "${method.label()} for ${seeds.joinToString("/")} seeds"
            }
        if (parts.isEmpty()) return "no interval (1 seed)"
        val single = if (intervals.any { !it.defined() }) ", none for 1 seed" else ""
        return "95% CI (" + parts.joinToString(", ") + single + ")"
    }
}
