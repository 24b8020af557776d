package io.dnalab.plots

import io.dnalab.metrics.PretrainingGain
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.geom.geomErrorBar
import org.jetbrains.letsPlot.geom.geomHLine
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.geom.geomText
import org.jetbrains.letsPlot.geom.geomVLine
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.scale.scaleColorManual
import org.jetbrains.letsPlot.scale.scaleXLog10
import org.jetbrains.letsPlot.scale.scaleYContinuous
import org.jetbrains.letsPlot.themes.theme
import org.jetbrains.letsPlot.themes.themeMinimal

/** Charts of what pretraining buys: paired gains over seeds, and their cost. */
object GainCharts {
    /** Verdict colours: green better, red worse, grey no clear difference, orange arm collapsed. */
    private val VERDICT_COLOURS = mapOf(
        "better" to "#55A868",
        "worse" to "#C44E52",
        "no clear difference" to "#8C8C8C",
        "arm collapsed" to "#DD8452",
    )

    /**
     * A forest plot: one row per comparison (named by what differs between them: task · model ·
     * tokenizer · pretraining; what they share is in the caption), the mean paired gain as a dot
     * and its 95% interval as a bar, coloured by verdict, a dashed line at zero. A bar that
     * crosses the line is "no clear difference". Single-seed comparisons show the dot alone.
     */
    fun forest(gains: List<PretrainingGain>): Figure {
        require(gains.isNotEmpty()) { "no pretraining gains to plot" }
        val metric = singleMetric(gains)
        val nameOf = comparisonLabeller(gains)
        val intervals = gains.map { it.gain().interval() }
        // Rows on a numeric y, the first comparison on top; each row's name is drawn above its bar
        // because Lets-Plot 4.1 cuts vertical-axis tick labels to 20 characters.
        val data = mapOf(
            "row" to gains.indices.map { (gains.size - 1 - it).toDouble() },
            "name_row" to gains.indices.map { gains.size - 1 - it + 0.32 },
            "comparison" to gains.map(nameOf),
            "gain" to gains.map { it.gain().mean() },
            "low" to intervals.map { if (it.defined()) it.low() else it.estimate() },
            "high" to intervals.map { if (it.defined()) it.high() else it.estimate() },
            // the gain's verdict: "arm collapsed" when a run of either arm is degenerate
            "verdict" to gains.map { it.verdict().label() },
        )
        // "arm collapsed" gets a legend key only when a comparison has that verdict.
        val colours = if (gains.any { it.verdict().label() == "arm collapsed" }) VERDICT_COLOURS
        else VERDICT_COLOURS - "arm collapsed"
        return letsPlot(data) +
            geomVLine(xintercept = 0.0, linetype = "dashed", color = "#555555") +
            geomErrorBar(height = 0.2) { y = "row"; xmin = "low"; xmax = "high"; color = "verdict" } +
            geomPoint(size = 4.0) { y = "row"; x = "gain"; color = "verdict" } +
            geomText(size = 5, color = "#333333") { y = "name_row"; x = "gain"; label = "comparison" } +
            scaleColorManual(values = colours.values.toList(), breaks = colours.keys.toList()) +
            scaleYContinuous(breaks = emptyList<Double>(), limits = -0.5 to gains.size - 0.2) +
            labs(
                title = "pretraining gain in test ${metric.uppercase()}, paired over seeds",
                subtitle = IntervalCharts.describe(intervals),
                caption = commonParts(gains),
                x = "gain in test $metric (pretrained − random init)",
                y = "",
                color = "verdict",
            ) +
            themeMinimal() +
            theme(panelGridMajorY = "blank", panelGridMinorY = "blank").legendPositionBottom()
    }

    /** Labels a comparison by the parts of its cell that differ across [gains]; the model always. */
    fun comparisonLabeller(gains: List<PretrainingGain>): (PretrainingGain) -> String {
        val varyTask = gains.map { it.task() }.distinct().size > 1
        val varyTokenizer = gains.map { it.tokenizer() }.distinct().size > 1
        val varyPretrain = gains.map { it.pretrain() }.distinct().size > 1
        return { g ->
            buildList {
                if (varyTask) add(g.task())
                add(g.model())
                if (varyTokenizer) add(g.tokenizer())
                if (varyPretrain) add(g.pretrain())
            }.joinToString(" · ")
        }
    }

    /** `task …, pretraining …` for the parts every comparison shares (left out of the labels). */
    private fun commonParts(gains: List<PretrainingGain>): String {
        val parts = buildList {
            gains.map { it.task() }.distinct().singleOrNull()?.let { add("task $it") }
            gains.map { it.tokenizer() }.distinct().singleOrNull()?.let { add("tokenizer $it") }
            gains.map { it.pretrain() }.distinct().singleOrNull()?.let { add("pretraining $it") }
        }
        return parts.joinToString(", ")
    }

    /** What the cost axis of [gainVsCost] measures. */
    enum class CostAxis { DEVICE_HOURS, PFLOP }

    /**
     * The mean paired gain (y, with its 95% interval) against the pretrained arm's cost (x, log
     * scale) in device-hours (GPU- or CPU-hours, as the devices were) or PFLOP, one dot per
     * comparison, coloured by model, shaped by tokenizer; a dashed line at zero gain. Comparisons without the cost
     * asked for (no FLOP estimate) are left out and counted in the subtitle.
     */
    fun gainVsCost(gains: List<PretrainingGain>, axis: CostAxis = CostAxis.DEVICE_HOURS): Figure {
        require(gains.isNotEmpty()) { "no pretraining gains to plot" }
        val metric = singleMetric(gains)
        fun cost(g: PretrainingGain) = when (axis) {
            CostAxis.DEVICE_HOURS -> g.cost().deviceHours()
            CostAxis.PFLOP -> g.cost().pflops()
        }
        val shown = gains.filter { cost(it).isFinite() && cost(it) > 0 }
        require(shown.isNotEmpty()) {
            "no comparison has a positive ${if (axis == CostAxis.PFLOP) "FLOP estimate" else "cost in seconds"}"
        }
        val intervals = shown.map { it.gain().interval() }
        val units = shown.map { it.cost().hourUnit() }.distinct()
        val costLabel = when (axis) {
            CostAxis.DEVICE_HOURS -> units.joinToString(" / ") { "${it}s" }
            CostAxis.PFLOP -> "PFLOP"
        }
        val data = mapOf(
            "cost" to shown.map(::cost),
            "gain" to shown.map { it.gain().mean() },
            "low" to intervals.map { if (it.defined()) it.low() else it.estimate() },
            "high" to intervals.map { if (it.defined()) it.high() else it.estimate() },
            "model" to shown.map { it.model() },
            "tokenizer" to shown.map { it.tokenizer() },
        )
        val missing = gains.size - shown.size
        return letsPlot(data) +
            geomHLine(yintercept = 0.0, linetype = "dashed", color = "#555555") +
            geomErrorBar(width = 0.05) { x = "cost"; ymin = "low"; ymax = "high"; color = "model" } +
            geomPoint(size = 4.0) { x = "cost"; y = "gain"; color = "model"; shape = "tokenizer" } +
            scaleXLog10() +
            labs(
                title = "pretraining gain in test ${metric.uppercase()} against its cost",
                subtitle = IntervalCharts.describe(intervals) +
                    (if (missing > 0) "; $missing comparison(s) without this cost left out" else ""),
                x = "pretraining cost ($costLabel, log scale)",
                y = "gain in test $metric",
                color = "model",
                shape = "tokenizer",
            ) +
            themeMinimal()
    }

    private fun singleMetric(gains: List<PretrainingGain>): String {
        val metrics = gains.map { it.metric() }.distinct()
        require(metrics.size == 1) { "one chart compares one metric; got $metrics" }
        return metrics.single()
    }
}
