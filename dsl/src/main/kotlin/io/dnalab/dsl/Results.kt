package io.dnalab.dsl

import io.dnalab.spec.ExperimentSpec
import io.dnalab.result.RunResult
import io.dnalab.result.Cost
import io.dnalab.metrics.LearningCurvePoint
import io.dnalab.plots.UnigramBaseline
import io.dnalab.experiment.LocalPretrainRunner
import io.dnalab.train.PretrainResult
import io.dnalab.metrics.MeanIntervals
import io.dnalab.metrics.PairedGain
import io.dnalab.metrics.PretrainingGain
import io.dnalab.metrics.Spread
import io.dnalab.data.PublishedResult
import io.dnalab.plots.AgainstPublishedCharts
import io.dnalab.plots.IntervalCharts
import io.dnalab.plots.OurResult
import io.dnalab.plots.ResultCharts
import org.jetbrains.kotlinx.dataframe.DataFrame
import org.jetbrains.letsPlot.Figure
import java.util.Locale

/**
 * The default cost of a group of runs: their mean wall time on their device, no FLOP estimate.
 */
fun meanRunCost(runs: List<RunResult>): Cost =
    Cost.of(runs.map { it.wallSeconds() }.average(), Double.NaN, runs.first().device())

/** A finished pretraining stage: its cell, its artifact folder and its result. */
class PretrainingRun(val cell: ExperimentSpec.Cell, val folder: java.nio.file.Path, val result: PretrainResult)

/**
 * The finished runs of an experiment. Renders in a notebook as the comparison table (test metrics
 * as mean ± sd and 95% CI over seeds per cell, parameters, cost) followed by every run.
 * Immutable: every view returns a new value.
 */
class Results(
    val spec: ExperimentSpec,
    val runs: List<RunResult>,
    /** The pretraining stages the runs started from, with their curves and cost. */
    val pretrainings: List<PretrainingRun> = emptyList(),
) {

    /** One row per run: the cell, the seed, dev and test metrics, cost ([runsFrame]). */
    fun toDataFrame(): DataFrame<*> = runsFrame(runs)

    /**
     * Per cell: test metrics as mean ± sd over seeds, the 95% interval of the mean of [metric]
     * (Student t below 10 seeds, percentile bootstrap from 10: see [MeanIntervals]; the caption
     * says which), parameters, mean wall time per run and the cell's total device-hours (GPU- or
     * CPU-hours, as the runs' device was).
     */
    fun summary(metric: String = "mcc"): Table {
        val cells = runs.groupBy { listOf(it.task(), it.tokenizer(), it.model(), it.pretrain()) }
        // A cell with an unmeasured (NaN) value has no interval; it shows "—" rather than failing the table.
        val intervals = cells.values.map { group ->
            val values = group.map { it.test().get(metric) }
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
                    group.size.toString(),
                    spread(group) { it.test().mcc() },
                    spread(group) { it.test().accuracy() },
                    spread(group) { it.test().auroc() },
                    interval?.format(3) ?: "—",
                    String.format(Locale.ROOT, "%,d", group.first().parameters()),
                    String.format(Locale.ROOT, "%.1f", group.map { it.wallSeconds() }.average()),
                    deviceHours(group),
                )
            },
            caption = "${spec.name()}: test metrics, mean ± sd over seeds; ${IntervalCharts.describe(intervals.filterNotNull())}",
        )
    }

    /**
     * The pretraining gain per task × model × tokenizer: each pretrained arm minus the same
     * architecture from random initialisation ([baseline], `none`), paired by seed, with its 95%
     * interval, a verdict that says better or worse only when the interval excludes zero, and the
     * gain per device-hour and per PFLOP of [cost].
     *
     * [cost] says what a pretrained arm cost and [costDescription] says so in the table's caption;
     * by default the mean wall time of its runs on their device ([RunResult.wallSeconds], which
     * is fine-tuning only until runs record their pretraining cost) with no FLOP estimate. Cells
     * without a baseline arm are left out.
     */
    fun pretrainingGain(
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
                PretrainingGain(cell.first, cell.third, cell.second, pretrain, baseline, metric, paired, costOf(treated))
            }
        }
        require(gains.isNotEmpty()) {
            "no cell has both a '$baseline' arm and a pretrained arm to compare; pretraining values in these runs: " +
                runs.map { it.pretrain() }.distinct()
        }
        return GainTable(spec.name(), gains, description)
    }

    /**
     * GUE cells next to the published test MCC on the same task (DNABERT-2, DNABERT 6-mer, NT
     * 2.5B multi-species; DNABERT-2 paper, Table 4): ours as mean × 100 with the 95% interval.
     * The published models were pretrained for days on GPUs and fine-tuned on the full training
     * split; the caption says so, since these runs usually are neither.
     */
    fun againstPublished(): Table {
        val published = PublishedResult.gue()
        val models = published.map { it.model() }.distinct()
        val rows = ourGueCells().map { (cell, interval) ->
            listOf(cell.task, cell.label, String.format(Locale.ROOT, "%.1f [%.1f, %.1f]", interval.estimate() * 100,
                interval.low() * 100, interval.high() * 100)) +
                models.map { model ->
                    published.firstOrNull { it.model() == model && it.task() == cell.task }
                        ?.let { String.format(Locale.ROOT, "%.2f", it.mcc()) } ?: "—"
                }
        }
        return Table(
            columns = listOf("task", "these runs (tokenizer · model · pretraining)", "test MCC × 100 [95% CI]") +
                models.map { "$it (published)" },
            rows = rows,
            caption = "${spec.name()}: against published GUE results (full training splits, days of GPU pretraining)",
        )
    }

    /** [againstPublished] as a chart: our cells with their intervals, published models as diamonds. */
    fun plotAgainstPublished(): Figure {
        val ours = ourGueCells().map { (cell, interval) ->
            OurResult(cell.task, cell.label, interval.estimate() * 100, interval.low() * 100, interval.high() * 100)
        }
        return AgainstPublishedCharts.mcc(ours, PublishedResult.gue())
    }

    private data class GueCell(val task: String, val label: String)

    /** Every GUE cell of these runs with the interval of its mean test MCC. */
    private fun ourGueCells(): List<Pair<GueCell, io.dnalab.metrics.Interval>> =
        runs.filter { it.task().startsWith("gue/") && it.test().get("mcc").isFinite() }
            .groupBy { GueCell(it.task().removePrefix("gue/"), "${it.tokenizer()} · ${it.model()} · ${it.pretrain()}") }
            .map { (cell, group) -> cell to MeanIntervals.of(*group.map { it.test().get("mcc") }.toDoubleArray()) }

    /** Every run, one row each. */
    fun perSeed(): Table = toDataFrame().toTable("${spec.name()}: every run")

    /** The test metric per cell and seed as a chart (see [ResultCharts.metricByModel]). */
    fun plot(metric: String = "mcc"): Figure = ResultCharts.metricByModel(runs, metric)

    companion object {
        /** What the default cost of [pretrainingGain] measures. */
        const val DEFAULT_COST = "mean wall time of one pretrained-arm run (RunResult.wallSeconds), no FLOP estimate"

        /** What [pretrainingGain] charges a pretrained arm when its pretraining ran in the experiment. */
        const val PRETRAINING_COST = "the pretraining run: wall time on its device and analytic training FLOPs " +
            "(fine-tuning costs the same in both arms)"
    }

    /**
     * What the pretraining behind [treated] cost (wall time, FLOPs, device), or null when it did
     * not run in this experiment.
     */
    private fun pretrainingCost(treated: List<RunResult>): Cost? {
        val first = treated.first()
        val run = pretrainings.firstOrNull {
            it.cell.tokenizer().id() == first.tokenizer() && it.cell.model().id() == first.model() &&
                it.cell.pretrain().id() == first.pretrain()
        } ?: return null
        return run.result.cost()
    }

    /**
     * Each pretraining next to what it must beat: held-out masked-token (or next-token) loss and
     * accuracy against the unigram baseline on the same positions, with its cost.
     */
    fun pretraining(): Table = Table(
        columns = listOf(
            "pretraining", "tokenizer", "model", "steps", "tokens seen", "held-out loss", "unigram loss",
            "held-out accuracy", "unigram accuracy", "wall s", "PFLOP", "device",
        ),
        rows = pretrainings.map { run ->
            val r = run.result
            val steps = r.curve().maxOfOrNull { it.step() } ?: 0L
            listOf(
                run.cell.pretrain().id(), run.cell.tokenizer().id(), run.cell.model().id(),
                String.format(Locale.ROOT, "%,d", steps),
                String.format(Locale.ROOT, "%,d", r.cost().tokensSeen()),
                String.format(Locale.ROOT, "%.3f", r.heldOut().loss()),
                String.format(Locale.ROOT, "%.3f", r.baseline().loss()),
                String.format(Locale.ROOT, "%.3f", r.heldOut().accuracy()),
                String.format(Locale.ROOT, "%.3f", r.baseline().accuracy()),
                String.format(Locale.ROOT, "%.0f", r.cost().wallSeconds()),
                String.format(Locale.ROOT, "%.4f", r.cost().flops() / 1e15),
                r.cost().device(),
            )
        },
        caption = "${spec.name()}: pretraining on held-out genome windows, against the unigram baseline",
    )

    /**
     * Learning curves of every pretraining in the experiment (training loss and held-out
     * loss / accuracy against step); the unigram baseline is drawn when there is one pretraining.
     */
    fun pretrainingCurves(): Figure {
        require(pretrainings.isNotEmpty()) { "no pretraining ran in ${spec.name()}: its cells all use pretrain(false)" }
        val points = pretrainings.flatMap { run ->
            val series = "${run.cell.pretrain().id()} · ${run.cell.tokenizer().id()} · ${run.cell.model().id()}"
            run.result.curve().map { LearningCurvePoint(series, it.step(), it.split(), it.loss(), it.accuracy()) }
        }
        val baseline = pretrainings.singleOrNull()?.result?.baseline()?.let { UnigramBaseline(it.loss(), it.accuracy()) }
        return learningCurves(points, baseline, "${spec.name()}: pretraining curves")
    }

    /**
     * A 2-D projection of the token embeddings a pretrained BERT learned, coloured by the GC
     * fraction of each token (as the RandomMask paper's picture), titled with the tokenizer; [tokenizer] picks the
     * pretraining when there are several.
     */
    fun tokenEmbeddings(tokenizer: String? = null): Figure {
        val run = pretrainings.firstOrNull {
            it.cell.model() is io.dnalab.spec.ModelSpec.Bert && (tokenizer == null || it.cell.tokenizer().id() == tokenizer)
        } ?: throw IllegalArgumentException(
            "no pretrained bert" + (tokenizer?.let { " with tokenizer $it" } ?: "") + " in ${spec.name()}; pretrained: " +
                pretrainings.map { "${it.cell.tokenizer().id()} · ${it.cell.model().id()}" },
        )
        val embeddings = LocalPretrainRunner.tokenEmbeddings(run.folder, run.cell.model())
        return tokenEmbeddings(
            embeddings.vectors(), embeddings.tokens(),
            run.cell.tokenizer().id(), // the chart title adds what it shows; a longer name is cut off
        )
    }

    fun toHtml(): String = summary().toHtml() +
        (if (pretrainings.isEmpty()) "" else pretraining().toHtml()) +
        "<details><summary>every run (${runs.size})</summary>" + perSeed().toHtml() + "</details>"

    override fun toString(): String = summary().toString()

    private fun deviceHours(group: List<RunResult>): String {
        val cost = Cost.of(group.sumOf { it.wallSeconds() }, Double.NaN, group.first().device())
        return String.format(Locale.ROOT, "%.3f %s", cost.deviceHours(), cost.hourUnit())
    }

    private fun bySeed(group: List<RunResult>, metric: String): Map<Long, Double> {
        val seeds = group.groupBy { it.seed() }.filterValues { it.size > 1 }.keys
        require(seeds.isEmpty()) {
            "seed(s) $seeds appear more than once in cell ${group.first().task()} · ${group.first().model()} · " +
                "${group.first().tokenizer()} · ${group.first().pretrain()}: pairing needs one run per seed"
        }
        return group.associate { it.seed() to it.test().get(metric) }
    }

    private fun spread(group: List<RunResult>, metric: (RunResult) -> Double): String =
        Spread.of(*group.map(metric).toDoubleArray()).format(3)
}
