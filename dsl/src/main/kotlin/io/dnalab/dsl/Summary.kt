package io.dnalab.dsl

import io.dnalab.result.Cost
import io.dnalab.metrics.MeanIntervals
import io.dnalab.metrics.Spread
import io.dnalab.plots.IntervalCharts
import io.dnalab.result.RunResult
import java.util.Locale

/**
 * Per cell: test metrics as mean ± sd over seeds, the 95% interval of the mean of [metric]
 * (Student t below 10 seeds, percentile bootstrap from 10: see [MeanIntervals]; the caption
 * says which), parameters, mean wall time per run and the cell's total device-hours (GPU- or
 * CPU-hours, as the runs' device was). A cell pretrained with several pretraining seeds takes the
 * pretraining seed as the unit of its interval: the mean over fine-tuning seeds within each
 * pretraining seed, then the interval over those means (its runs are not independent draws).
 */
fun Results.summary(metric: String = "mcc"): Table {
    val cells = runs.groupBy { listOf(it.task(), it.tokenizer(), it.model(), it.pretrain()) }
    // A cell with an unmeasured (NaN) value has no interval; it shows "—" rather than failing the table.
    val intervals = cells.values.map { group ->
        val values = unitValues(group) { it.test().get(metric) }
        if (values.all { it.isFinite() }) MeanIntervals.of(*values.toDoubleArray()) else null
    }
    return Table(
        columns = listOf(
            "task", "tokenizer", "model", "pretraining", "seeds",
            "test MCC", "test accuracy", "test AUROC", "95% CI test $metric",
            "parameters", "wall s / run", "device-hours",
        ),
        rows = cells.entries.zip(intervals).map { (entry, interval) ->
            val (cell, group) = entry
            cell + listOf(
                seeds(group) + collapsed(group),
                spread(group) { it.test().mcc() } + flag(group),
                spread(group) { it.test().accuracy() },
                spread(group) { it.test().auroc() },
                interval?.format(3) ?: "—",
                String.format(Locale.ROOT, "%,d", group.first().parameters()),
                String.format(Locale.ROOT, "%.1f", group.map { it.wallSeconds() }.average()),
                deviceHours(group),
            )
        },
        caption = "${spec.name()}: test metrics, mean ± sd over seeds; ${IntervalCharts.describe(intervals.filterNotNull())}" +
            (if (cells.values.any { pretrainingSeeds(it) > 1 }) "; where seeds reads pretraining × fine-tuning, the interval is over the pretraining seeds' means" else "") +
            (if (runs.any { it.isDegenerate() }) "; $FLAG: degenerate runs in the cell (test predictions all one class, or dev MCC ≤ 0 at every evaluation)" else ""),
    )
}

/** How many pretraining seeds a cell's runs started from (1 for random initialisation). */
private fun pretrainingSeeds(group: List<RunResult>): Int = group.map { it.pretrainSeed() }.distinct().size

/** `3`, or `3 × 3` (pretraining × fine-tuning seeds) when the cell has several pretraining seeds. */
private fun seeds(group: List<RunResult>): String {
    val pretraining = pretrainingSeeds(group)
    return if (pretraining > 1) "$pretraining × ${group.map { it.seed() }.distinct().size}" else group.size.toString()
}

/**
 * The values the cell's interval is over: one per run, or with several pretraining seeds the mean
 * of each pretraining seed's runs.
 */
private fun unitValues(group: List<RunResult>, value: (RunResult) -> Double): List<Double> =
    if (pretrainingSeeds(group) > 1) group.groupBy { it.pretrainSeed() }.values.map { runs -> runs.map(value).average() }
    else group.map(value)

/** ` (k collapsed)` when k of a cell's runs are degenerate, else nothing. */
private fun collapsed(group: List<RunResult>): String =
    group.count { it.isDegenerate() }.let { if (it == 0) "" else " ($it collapsed)" }

/** ` ⚠` beside a cell's numbers when any of its runs is degenerate. */
private fun flag(group: List<RunResult>): String = if (group.any { it.isDegenerate() }) " $FLAG" else ""

private fun deviceHours(group: List<RunResult>): String {
    val cost = Cost.of(group.sumOf { it.wallSeconds() }, Double.NaN, group.first().device())
    return String.format(Locale.ROOT, "%.3f %s", cost.deviceHours(), cost.hourUnit())
}

private fun spread(group: List<RunResult>, metric: (RunResult) -> Double): String =
    Spread.of(*group.map(metric).toDoubleArray()).format(3)
