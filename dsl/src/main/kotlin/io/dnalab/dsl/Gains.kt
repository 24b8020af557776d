package io.dnalab.dsl

import io.dnalab.metrics.Interval
import io.dnalab.metrics.MeanIntervals
import io.dnalab.metrics.PretrainingGain
import io.dnalab.plots.GainCharts
import io.dnalab.plots.IntervalCharts
import org.jetbrains.letsPlot.Figure
import java.util.Locale

/**
 * Pretraining gains of an experiment, one per task × model × tokenizer × pretraining (see
 * [Results.pretrainingGain]). Renders as a static table; [plot] and [plotAgainstCost] chart it.
 */
class GainTable(
    val experiment: String,
    val gains: List<PretrainingGain>,
    /** What each gain's cost measures, for the caption. */
    val costDescription: String,
) {

    /**
     * One row per comparison: paired seeds, the gain as mean ± sd, its 95% interval (the one the
     * verdict rests on: Student t below [MeanIntervals.T_BELOW] pairs), the percentile bootstrap
     * interval for reference, the verdict, the cost and the gain per device-hour and per PFLOP
     * (each with the interval scaled by the cost, which is taken as fixed).
     */
    fun toTable(): Table {
        val metric = gains.map { it.metric() }.distinct().joinToString("/")
        val intervals = gains.map { it.gain().interval() }
        return Table(
            columns = listOf(
                "task", "model", "tokenizer", "pretraining", "paired seeds",
                "gain (mean ± sd)", "95% CI", "bootstrap 95% CI", "verdict",
                "cost", "gain / device-hour", "gain / PFLOP",
            ),
            rows = gains.map { g ->
                listOf(
                    g.task(), g.model(), g.tokenizer(), g.pretrain(),
                    g.gain().n().toString() + (if (g.gain().unpairedSeeds().isEmpty()) "" else " (unpaired: ${g.gain().unpairedSeeds().joinToString(", ")})"),
                    g.gain().spread().format(3),
                    g.gain().interval().format(3) + " " + g.gain().interval().method().label(),
                    g.gain().bootstrap().format(3),
                    g.gain().verdict().label(),
                    String.format(Locale.ROOT, "%.3f %s", g.cost().deviceHours(), g.cost().hourUnit()) +
                        (if (g.cost().flops().isNaN()) "" else String.format(Locale.ROOT, ", %.3g PFLOP", g.cost().pflops())),
                    perUnit(g.perDeviceHour(), "/ ${g.cost().hourUnit()}"),
                    perUnit(g.perPflop(), "/ PFLOP"),
                )
            },
            caption = "$experiment: pretraining gain in test $metric (pretrained − ${gains.first().baseline()}, paired by seed); " +
                "${IntervalCharts.describe(intervals)}; better / worse only when the CI excludes 0; cost: $costDescription",
        )
    }

    /** The forest plot of the gains ([GainCharts.forest]). */
    fun plot(): Figure = GainCharts.forest(gains)

    /** The gains against their cost ([GainCharts.gainVsCost]). */
    fun plotAgainstCost(axis: GainCharts.CostAxis = GainCharts.CostAxis.DEVICE_HOURS): Figure =
        GainCharts.gainVsCost(gains, axis)

    fun toHtml(): String = toTable().toHtml()

    override fun toString(): String = toTable().toString()

    private fun perUnit(interval: Interval, unit: String): String =
        if (interval.estimate().isNaN()) "—"
        else String.format(Locale.ROOT, "%.3g %s", interval.estimate(), unit) +
            (if (interval.defined()) " " + interval.format(3) else "")
}
