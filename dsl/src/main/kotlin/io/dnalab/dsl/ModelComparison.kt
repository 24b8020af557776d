package io.dnalab.dsl

import io.dnalab.metrics.PairedBootstrap
import io.dnalab.metrics.Verdict
import io.dnalab.metrics.WelchDifference
import io.dnalab.plots.CellValues
import io.dnalab.plots.IntervalCharts
import io.dnalab.result.RunResult
import org.jetbrains.letsPlot.Figure
import java.util.Locale

/**
 * One arm of an experiment, e.g. a pretrained transformer, against a from-scratch arm of another
 * model family on the same task, e.g. ConvNova, each fine-tuned by its own recipe: the product's
 * headline question, "is pretraining my transformer worth it against a CNN trained from scratch?".
 *
 * The arms share no unit, so the comparison is unpaired: [difference] is the arm's mean minus the
 * baseline's over their units, with Welch's t interval ([WelchDifference]). A pretrained arm's unit
 * is its pretraining seed (the mean over the fine-tuning seeds run on it); an arm without
 * pretraining seeds (random initialisation, or one pretraining) and the baseline have the
 * fine-tuning seed as their unit.
 *
 * @param armRuns the arm's runs
 * @param baselineRuns the from-scratch baseline's runs
 * @param armCost the arm's cost per model: pretraining (mean over pretraining seeds; 0 without
 *     pretraining) and the mean fine-tuning run
 * @param baselineCost the baseline's: the mean fine-tuning run
 * @param collapsedRuns the degenerate runs of either arm, one line each
 * @param exampleBootstrap the bootstrap over test examples of the difference of the arms' mean
 *     metric (examples paired, runs not: [PairedBootstrap.ofArmMeans]); null where predictions are
 *     not kept or the metric is not one it recomputes
 */
class ArmComparison(
    val task: String,
    val armRuns: List<RunResult>,
    val baselineRuns: List<RunResult>,
    val metric: String,
    val difference: WelchDifference,
    val armCost: ArmCost,
    val baselineCost: ArmCost,
    val collapsedRuns: List<String>,
    val exampleBootstrap: PairedBootstrap?,
) {
    val model: String get() = armRuns.first().model()
    val tokenizer: String get() = armRuns.first().tokenizer()
    val pretrain: String get() = armRuns.first().pretrain()
    val baselineModel: String get() = baselineRuns.first().model()
    val baselineTokenizer: String get() = baselineRuns.first().tokenizer()

    /** Arm collapsed when a run of either arm is degenerate, else Welch's verdict. */
    val verdict: Verdict get() = Verdict.of(difference.interval(), collapsedRuns.isNotEmpty())

    /** Pretraining seeds of the arm (0 for random initialisation). */
    val pretrainingSeeds: Int get() = armRuns.mapNotNull { it.pretrainSeed() }.distinct().size

    /** `3 pretraining × 2 fine-tuning`, or `2 fine-tuning` for an arm without pretraining seeds. */
    fun armSeeds(): String = seedCounts(armRuns)

    /** `3 fine-tuning`: the baseline's fine-tuning seeds. */
    fun baselineSeeds(): String = seedCounts(baselineRuns)

    /** The verdict for a table: better / worse / no clear difference / arm collapsed (which runs). */
    fun verdictText(): String = when (verdict) {
        Verdict.ARM_COLLAPSED -> "arm collapsed (" + collapsedRuns.joinToString("; ") + ")"
        else -> verdict.label()
    }
}

/**
 * What one model of an arm cost on its device: [pretrainingSeconds] (the mean over its pretraining
 * seeds; 0 without pretraining; null for a pretrained arm whose pretraining did not run in this
 * experiment, e.g. a public checkpoint) and [finetuningSeconds] (the mean fine-tuning run), with
 * the device's hour unit (`CPU-hour`, `GPU-hour`).
 */
class ArmCost(val pretrainingSeconds: Double?, val finetuningSeconds: Double, val hourUnit: String) {
    /**
     * `4.2 + 0.5 = 4.7 CPU-minutes (pretraining + fine-tuning)`, `0.3 CPU-minutes (fine-tuning)`, or
     * for an unmeasured pretraining `0.5 CPU-minutes (fine-tuning; pretraining not measured here)`.
     */
    fun describe(): String {
        val unit = hourUnit.removeSuffix("-hour") + "-minutes"
        fun min(seconds: Double) = String.format(Locale.ROOT, "%.1f", seconds / 60)
        return when {
            pretrainingSeconds == null -> "${min(finetuningSeconds)} $unit (fine-tuning; pretraining not measured here)"
            pretrainingSeconds > 0 ->
                "${min(pretrainingSeconds)} + ${min(finetuningSeconds)} = ${min(pretrainingSeconds + finetuningSeconds)} $unit (pretraining + fine-tuning)"
            else -> "${min(finetuningSeconds)} $unit (fine-tuning)"
        }
    }
}

/**
 * Every arm of this experiment against the from-scratch arms of [baseline]'s experiment (its
 * random-initialisation runs, `none`) of another model family on the same task, by test [metric]:
 * e.g. `results.against(convNovaResults)` compares a pretrained transformer, and its random-init
 * twin, with ConvNova trained from scratch, each fine-tuned by its own recipe. See [ArmComparison]
 * for the units and the interval. [testPredictions] gives a run's per-example test predictions of
 * either experiment (by default those the result store keeps); where every run of a comparison
 * has them, the table adds a bootstrap over test examples.
 */
fun Results.against(
    baseline: Results,
    metric: String = "mcc",
    testPredictions: ((RunResult) -> TestPredictions?)? = combined(storedTestPredictions(), baseline.storedTestPredictions()),
): ModelComparison {
    val baselineArms = baseline.runs.filter { it.pretrain() == "none" }
        .groupBy { Triple(it.task(), it.model(), it.tokenizer()) }
    val arms = runs.groupBy { listOf(it.task(), it.model(), it.tokenizer(), it.pretrain()) }
    val comparisons = arms.flatMap { (cell, armRuns) ->
        baselineArms.filterKeys { (task, model, _) -> task == cell[0] && model != cell[1] }.map { (_, baselineRuns) ->
            val name = "${cell[0]} · ${cell[1]} · ${cell[2]} · ${cell[3]} against ${baselineRuns.first().model()} from scratch"
            val difference = try {
                WelchDifference.of(units(armRuns, metric).toDoubleArray(), units(baselineRuns, metric).toDoubleArray())
            } catch (e: IllegalArgumentException) {
                throw IllegalArgumentException("model comparison $name: ${e.message}", e)
            }
            ArmComparison(
                cell[0], armRuns, baselineRuns, metric, difference,
                ArmCost(
                    if (cell[3] == "none") 0.0 else pretrainingCost(armRuns)?.wallSeconds(),
                    armRuns.map { it.wallSeconds() }.average(), armRuns.first().cost().hourUnit(),
                ),
                ArmCost(0.0, baselineRuns.map { it.wallSeconds() }.average(), baselineRuns.first().cost().hourUnit()),
                collapsedRunLines(armRuns) + collapsedRunLines(baselineRuns),
                testPredictions?.let { armBootstrap(name, metric, armRuns, baselineRuns, it) },
            )
        }
    }
    require(comparisons.isNotEmpty()) {
        "no arm of '${spec.name()}' shares a task with a from-scratch ('none') arm of another model family in " +
            "'${baseline.spec.name()}'; tasks here ${runs.map { it.task() }.distinct()}, from-scratch arms there " +
            baselineArms.keys.map { "${it.first} · ${it.second}" }
    }
    return ModelComparison(spec.name(), baseline.spec.name(), comparisons)
}

/**
 * The values an arm's interval is over: per pretraining seed the mean over its fine-tuning seeds
 * when the arm has several pretraining seeds, else one value per fine-tuning seed.
 */
internal fun units(arm: List<RunResult>, metric: String): List<Double> {
    val byPretrainingSeed = arm.groupBy { it.pretrainSeed() }
    if (byPretrainingSeed.size > 1) {
        return byPretrainingSeed.entries.sortedBy { it.key ?: -1L }.map { (_, runs) -> runs.map { it.test().get(metric) }.average() }
    }
    val repeated = arm.groupBy { it.seed() }.filterValues { it.size > 1 }.keys
    require(repeated.isEmpty()) { "fine-tuning seed(s) $repeated appear more than once in one arm" }
    return arm.sortedBy { it.seed() }.map { it.test().get(metric) }
}

private fun seedCounts(arm: List<RunResult>): String {
    val pretraining = arm.mapNotNull { it.pretrainSeed() }.distinct().size
    val finetuning = arm.groupBy { it.pretrainSeed() }.values.map { it.size }.distinct().joinToString("/")
    return if (pretraining > 1) "$pretraining pretraining × $finetuning fine-tuning" else "${arm.size} fine-tuning"
}

private fun collapsedRunLines(arm: List<RunResult>): List<String> = arm.filter { it.isDegenerate() }.map {
    "${it.model()} ${it.pretrain()}" + (it.pretrainSeed()?.let { s -> " pretraining seed $s" } ?: "") +
        " seed ${it.seed()}: ${it.degenerate()}"
}

private fun combined(
    first: ((RunResult) -> TestPredictions?)?,
    second: ((RunResult) -> TestPredictions?)?,
): ((RunResult) -> TestPredictions?)? = when {
    first == null -> second
    second == null -> first
    else -> { run -> first(run) ?: second(run) }
}

/**
 * The bootstrap over test examples of the arms' mean metric difference, or null when the metric
 * is not one it recomputes or a run's predictions are not kept.
 */
private fun armBootstrap(
    name: String,
    metric: String,
    arm: List<RunResult>,
    baseline: List<RunResult>,
    testPredictions: (RunResult) -> TestPredictions?,
): PairedBootstrap? {
    val bootMetric = PairedBootstrap.Metric.values().firstOrNull { it.label() == metric } ?: return null
    val armPredictions = arm.map { testPredictions(it) ?: return null }
    val baselinePredictions = baseline.map { testPredictions(it) ?: return null }
    val labels = armPredictions.first().labels
    require((armPredictions + baselinePredictions).all { it.labels.contentEquals(labels) }) {
        "model comparison $name: the runs' test labels differ; a bootstrap over test examples needs the same test examples in the same order"
    }
    return PairedBootstrap.ofArmMeans(bootMetric, labels, armPredictions.map { it.predicted }, baselinePredictions.map { it.predicted })
}

/**
 * Arms of one experiment against from-scratch arms of another model family ([Results.against]).
 * Renders as a static table; `plot(comparison).metric()` charts each arm's units ([ModelComparisonPlots]).
 */
class ModelComparison(val experiment: String, val baselineExperiment: String, val comparisons: List<ArmComparison>) {

    fun toTable(): Table {
        val metric = comparisons.map { it.metric }.distinct().joinToString("/")
        val bootstrapNote = if (comparisons.none { it.exampleBootstrap != null }) {
            "bootstrap over test examples: — (per-example test predictions not available)"
        } else {
            "bootstrap over test examples: ${PairedBootstrap.RESAMPLES} resamples of the test set shared by every run " +
                "of both arms, the difference of the arms' mean over runs; it measures test-set sampling, the Welch CI training noise"
        }
        return Table(
            columns = listOf(
                "task", "arm", "pretraining", "seeds", "arm $metric (mean ± sd)",
                "baseline (from scratch)", "baseline seeds", "baseline $metric (mean ± sd)",
                "arm − baseline", "95% CI", "bootstrap Δ over test examples [lo, hi]", "p", "verdict",
                "cost: arm", "cost: baseline",
            ),
            rows = comparisons.map { c ->
                listOf(
                    c.task, "${c.model} · ${c.tokenizer}", c.pretrain, c.armSeeds(),
                    c.difference.treatedSpread().format(3) + flag(c.armRuns),
                    "${c.baselineModel} · ${c.baselineTokenizer}", c.baselineSeeds(),
                    c.difference.controlSpread().format(3) + flag(c.baselineRuns),
                    String.format(Locale.ROOT, "%+.3f", c.difference.mean()),
                    if (c.difference.interval().defined()) {
                        c.difference.interval().format(3) + String.format(Locale.ROOT, " Welch t, df %.1f", c.difference.degreesOfFreedom())
                    } else "— (fewer than 2 units in an arm, or no spread)",
                    c.exampleBootstrap?.format(3) ?: "—",
                    if (c.difference.pValue().isNaN()) "—" else String.format(Locale.ROOT, "%.3g", c.difference.pValue()),
                    c.verdictText(),
                    c.armCost.describe(), c.baselineCost.describe(),
                )
            },
            caption = "$experiment against $baselineExperiment: model families compared in test $metric, each arm " +
                "against the from-scratch arm of another family on the same task, each fine-tuned by its own recipe " +
                "(arm − baseline; the arms share no unit, so not paired: Welch's t interval, Welch–Satterthwaite df); " +
                "a pretrained arm's unit is its pretraining seed (fine-tuning seeds averaged within), an arm without " +
                "pretraining seeds and the baseline have the fine-tuning seed as unit; better / worse only when the CI " +
                "excludes 0; p: Welch's two-sided t-test; $bootstrapNote; cost per model on its device: pretraining " +
                "(mean over pretraining seeds) + the mean fine-tuning run, against the baseline's fine-tuning run" +
                (if (comparisons.any { it.collapsedRuns.isNotEmpty() }) "; $FLAG arm collapsed: a run of either arm is degenerate, so the difference measures the collapse" else ""),
        )
    }

    fun toHtml(): String = toTable().toHtml()

    override fun toString(): String = toTable().toString()

    private fun flag(runs: List<RunResult>): String {
        val collapsed = runs.count { it.isDegenerate() }
        return if (collapsed == 0) "" else " $FLAG $collapsed run(s) collapsed"
    }
}

/** The charts of a [ModelComparison]; rendered alone in a cell, [metric]. */
class ModelComparisonPlots(val comparison: ModelComparison) {
    /**
     * Each arm's and each baseline's test metric over its units, mean and 95% interval (Student t
     * over the units, [IntervalCharts.metricByModelAndTokenizer]): the values the table compares.
     */
    fun metric(): Figure {
        val comparisons = comparison.comparisons
        val arms = comparisons.distinctBy { listOf(it.task, it.model, it.tokenizer, it.pretrain) }
            .map { CellValues(it.task, it.model, it.tokenizer, it.pretrain, units(it.armRuns, it.metric)) }
        val baselines = comparisons.distinctBy { listOf(it.task, it.baselineModel, it.baselineTokenizer) }
            .map { CellValues(it.task, it.baselineModel, it.baselineTokenizer, "none", units(it.baselineRuns, it.metric)) }
        return IntervalCharts.metricByModelAndTokenizer(arms + baselines, comparisons.first().metric)
    }
}

/** The charts of [comparison]: `plot(results.against(fromScratch)).metric()`. */
fun plot(comparison: ModelComparison): ModelComparisonPlots = ModelComparisonPlots(comparison)
