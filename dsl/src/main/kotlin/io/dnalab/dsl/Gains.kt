package io.dnalab.dsl

import io.dnalab.result.Cost
import io.dnalab.metrics.Interval
import io.dnalab.metrics.MeanIntervals
import io.dnalab.metrics.PairedGain
import io.dnalab.metrics.PretrainingGain
import io.dnalab.result.RunResult
import io.dnalab.plots.IntervalCharts
import java.util.Locale

/**
 * The pretraining gain per task × model × tokenizer: each pretrained arm minus the same
 * architecture from random initialisation ([baseline], `none`), paired by seed, with its 95%
 * interval, a verdict that says better or worse only when the interval excludes zero, and the
 * gain per device-hour and per PFLOP of [cost].
 *
 * [cost] says what a pretrained arm cost and [costDescription] says so in the table's caption;
 * by default what its pretraining run cost when it ran in this experiment ([PRETRAINING_COST]),
 * else the mean wall time of its runs on their device ([DEFAULT_COST]). Cells without a baseline
 * arm are left out.
 */
fun Results.pretrainingGain(
    metric: String = "mcc",
    baseline: String = "none",
    cost: ((List<RunResult>) -> Cost)? = null,
    costDescription: String? = null,
): GainTable {
    val costOf = cost ?: { treated -> pretrainingCost(treated) ?: meanRunCost(treated) }
    val description = costDescription ?: when {
        cost != null -> "as given"
        pretrainings.isNotEmpty() -> PRETRAINING_COST
        else -> DEFAULT_COST
    }
    val gains = runs.groupBy { Triple(it.task(), it.model(), it.tokenizer()) }.flatMap { (cell, group) ->
        val control = group.filter { it.pretrain() == baseline }
        if (control.isEmpty()) return@flatMap emptyList()
        group.filter { it.pretrain() != baseline }.groupBy { it.pretrain() }.map { (pretrain, treated) ->
            val paired = try {
                PairedGain.of(bySeed(treated, metric), bySeed(control, metric))
            } catch (e: IllegalArgumentException) {
                throw IllegalArgumentException(
                    "pretraining gain of ${cell.first} · ${cell.second} · ${cell.third} · $pretrain: ${e.message}", e,
                )
            }
            PretrainingGain(
                cell.first, cell.third, cell.second, pretrain, baseline, metric, paired, costOf(treated),
                PretrainingGain.collapsedRuns(treated, control),
            )
        }
    }
    require(gains.isNotEmpty()) {
        "no cell has both a '$baseline' arm and a pretrained arm to compare; pretraining values in these runs: " +
            runs.map { it.pretrain() }.distinct()
    }
    return GainTable(spec.name(), gains, description)
}

/** What the default cost of [pretrainingGain] measures. */
internal const val DEFAULT_COST = "mean wall time of one pretrained-arm run (RunResult.wallSeconds), no FLOP estimate"

/** What [pretrainingGain] charges a pretrained arm when its pretraining ran in the experiment. */
internal const val PRETRAINING_COST = "the pretraining run: wall time on its device and analytic training FLOPs " +
    "(fine-tuning costs the same in both arms)"

/** The default cost of a group of runs: their mean wall time on their device, no FLOP estimate. */
fun meanRunCost(runs: List<RunResult>): Cost =
    Cost.of(runs.map { it.wallSeconds() }.average(), Double.NaN, runs.first().device())

/**
 * What the pretraining behind [treated] cost (wall time, FLOPs, device), or null when it did not
 * run in this experiment.
 */
private fun Results.pretrainingCost(treated: List<RunResult>): Cost? {
    val first = treated.first()
    val run = pretrainings.firstOrNull {
        it.cell.tokenizer().id() == first.tokenizer() && it.cell.model().id() == first.model() &&
            it.cell.pretrain().id() == first.pretrain()
    } ?: return null
    return run.result.cost()
}

private fun bySeed(group: List<RunResult>, metric: String): Map<Long, Double> {
    val seeds = group.groupBy { it.seed() }.filterValues { it.size > 1 }.keys
    require(seeds.isEmpty()) {
        "seed(s) $seeds appear more than once in cell ${group.first().task()} · ${group.first().model()} · " +
            "${group.first().tokenizer()} · ${group.first().pretrain()}: pairing needs one run per seed"
    }
    return group.associate { it.seed() to it.test().get(metric) }
}

/**
 * Pretraining gains of an experiment, one per task × model × tokenizer × pretraining (see
 * [Results.pretrainingGain]). Renders as a static table; `plot(gains).forest()` and
 * `plot(gains).againstCost()` chart it ([GainPlots]).
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
                    g.gain().spread().format(3) + collapseMark(g),
                    g.gain().interval().format(3) + " " + g.gain().interval().method().label(),
                    g.gain().bootstrap().format(3),
                    g.verdictText(),
                    String.format(Locale.ROOT, "%.3f %s", g.cost().deviceHours(), g.cost().hourUnit()) +
                        (if (g.cost().flops().isNaN()) "" else String.format(Locale.ROOT, ", %.3g PFLOP", g.cost().pflops())),
                    perUnit(g.perDeviceHour(), "/ ${g.cost().hourUnit()}"),
                    perUnit(g.perPflop(), "/ PFLOP"),
                )
            },
            caption = "$experiment: pretraining gain in test $metric (pretrained − ${gains.first().baseline()}, paired by seed); " +
                "${IntervalCharts.describe(intervals)}; better / worse only when the CI excludes 0; cost: $costDescription" +
                (if (gains.any { it.collapsedRuns().isNotEmpty() }) "; $FLAG arm collapsed: a run of either arm is degenerate (test predictions all one class, or dev MCC ≤ 0 at every evaluation), so its gain measures the collapse" else ""),
        )
    }

    fun toHtml(): String = toTable().toHtml()

    override fun toString(): String = toTable().toString()

    /** ⚠ and how many runs collapsed, beside the numbers of a gain resting on a degenerate arm. */
    private fun collapseMark(g: PretrainingGain): String =
        if (g.collapsedRuns().isEmpty()) "" else " $FLAG ${g.collapsedRuns().size} run(s) collapsed"

    private fun perUnit(interval: Interval, unit: String): String =
        if (interval.estimate().isNaN()) "—"
        else String.format(Locale.ROOT, "%.3g %s", interval.estimate(), unit) +
            (if (interval.defined()) " " + interval.format(3) else "")
}
