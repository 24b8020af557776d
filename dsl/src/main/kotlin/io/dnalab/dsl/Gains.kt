package io.dnalab.dsl

import io.dnalab.experiment.Dnalab
import io.dnalab.result.Cost
import io.dnalab.metrics.Holm
import io.dnalab.metrics.Interval
import io.dnalab.metrics.MeanIntervals
import io.dnalab.metrics.PairedBootstrap
import io.dnalab.metrics.PairedGain
import io.dnalab.metrics.PretrainingGain
import io.dnalab.result.RunResult
import io.dnalab.plots.IntervalCharts
import java.util.Locale

/**
 * One run's predictions on its task's test split, in the split's order: the true class and the
 * predicted class of every test example. What [Results.pretrainingGain]'s bootstrap over test
 * examples resamples.
 */
class TestPredictions(val labels: IntArray, val predicted: IntArray) {
    init {
        require(labels.size == predicted.size) {
            "test predictions: ${labels.size} labels but ${predicted.size} predicted classes"
        }
    }
}

/**
 * The pretraining gain per task × model × tokenizer: each pretrained arm minus the same
 * architecture from random initialisation ([baseline], `none`), paired by fine-tuning seed, with
 * its 95% interval, a verdict that says better or worse only when the interval excludes zero, and
 * the gain per device-hour and per PFLOP of [cost].
 *
 * The unit of replication is the pretraining seed: where a pretrained arm ran several pretraining
 * seeds (`mlm(…, seeds = 3)`), its differences are averaged over the fine-tuning seeds within each
 * pretraining seed and the interval is over pretraining seeds ([PairedGain.overPretrainingSeeds]);
 * with one pretraining seed the interval is over fine-tuning seeds only, and the table says so.
 * Every row states how many pretraining and fine-tuning seeds it rests on.
 *
 * [testPredictions] gives a run's per-example test predictions (null where they are not kept);
 * where every run of a comparison has them, the table adds a paired bootstrap over test examples
 * of the metric difference ([PairedBootstrap], MCC and accuracy), beside the seed-level interval.
 *
 * [cost] says what a pretrained arm cost and [costDescription] says so in the table's caption;
 * by default what its pretraining run cost when it ran in this experiment ([PRETRAINING_COST]; the
 * mean over its pretraining seeds: what one pretrained model costs), else the mean wall time of
 * its runs on their device ([DEFAULT_COST]). Cells without a baseline arm are left out.
 */
fun Results.pretrainingGain(
    metric: String = "mcc",
    baseline: String = "none",
    cost: ((List<RunResult>) -> Cost)? = null,
    costDescription: String? = null,
    testPredictions: ((RunResult) -> TestPredictions?)? = storedTestPredictions(),
): GainTable {
    val costOf = cost ?: { treated ->
        if (isCheckpointArm(treated.first())) publishedCost(treated.first())
        else pretrainingCost(treated) ?: meanRunCost(treated)
    }
    val description = (costDescription ?: when {
        cost != null -> "as given"
        pretrainings.isNotEmpty() -> PRETRAINING_COST
        else -> DEFAULT_COST
    }) + (if (cost == null && runs.any { isCheckpointArm(it) }) "; $CHECKPOINT_COST" else "")
    val compared = runs.groupBy { Triple(it.task(), it.model(), it.tokenizer()) }.flatMap { (cell, group) ->
        val control = group.filter { it.pretrain() == baseline }
        if (control.isEmpty()) return@flatMap emptyList()
        group.filter { it.pretrain() != baseline }.groupBy { it.pretrain() }.map { (pretrain, treated) ->
            val name = "${cell.first} · ${cell.second} · ${cell.third} · $pretrain"
            val paired = try {
                require(control.map { it.pretrainSeed() }.distinct().size <= 1) {
                    "the baseline '$baseline' has ${control.map { it.pretrainSeed() }.distinct().size} " +
                        "pretraining seeds; compare against random initialisation ('none') or a one-seed pretraining"
                }
                PairedGain.overPretrainingSeeds(
                    treated.groupBy { it.pretrainSeed() ?: ONE_PRETRAINING }
                        .mapValues { (_, runs) -> bySeed(runs, metric) },
                    bySeed(control, metric),
                )
            } catch (e: IllegalArgumentException) {
                throw IllegalArgumentException("pretraining gain of $name: ${e.message}", e)
            }
            PretrainingGain(
                cell.first, cell.third, cell.second, pretrain, baseline, metric, paired, costOf(treated),
                PretrainingGain.collapsedRuns(treated, control),
            ) to testPredictions?.let { exampleBootstrap(name, metric, treated, control, it) }
        }
    }
    require(compared.isNotEmpty()) {
        "no cell has both a '$baseline' arm and a pretrained arm to compare; pretraining values in these runs: " +
            runs.map { it.pretrain() }.distinct()
    }
    return GainTable(spec.name(), compared.map { it.first }, description, compared.map { it.second })
}

/** The key of the runs of a pretrained arm whose pretraining seed was not recorded (one run). */
private const val ONE_PRETRAINING = -1L

/**
 * The paired bootstrap over test examples of one comparison: every treated run paired with the
 * control run of its fine-tuning seed. Null when the metric is not one the bootstrap recomputes
 * or a run's predictions are not kept.
 */
private fun exampleBootstrap(
    name: String,
    metric: String,
    treated: List<RunResult>,
    control: List<RunResult>,
    testPredictions: (RunResult) -> TestPredictions?,
): PairedBootstrap? {
    val bootMetric = PairedBootstrap.Metric.values().firstOrNull { it.label() == metric } ?: return null
    val controlBySeed = control.associateBy { it.seed() }
    val pairs = treated.mapNotNull { run -> controlBySeed[run.seed()]?.let { run to it } }
    if (pairs.isEmpty()) return null
    val predictions = pairs.map { (t, c) -> (testPredictions(t) ?: return null) to (testPredictions(c) ?: return null) }
    val labels = predictions.first().first.labels
    require(predictions.all { (t, c) -> t.labels.contentEquals(labels) && c.labels.contentEquals(labels) }) {
        "pretraining gain of $name: the runs' test labels differ; a paired bootstrap needs the same test examples in the same order"
    }
    return PairedBootstrap.of(bootMetric, labels, predictions.map { it.first.predicted }, predictions.map { it.second.predicted })
}

/** What the default cost of [pretrainingGain] measures. */
internal const val DEFAULT_COST = "mean wall time of one pretrained-arm run (RunResult.wallSeconds), no FLOP estimate"

/** What [pretrainingGain] charges a pretrained arm when its pretraining ran in the experiment. */
internal const val PRETRAINING_COST = "the pretraining run: wall time on its device and analytic training FLOPs " +
    "(fine-tuning costs the same in both arms)"

/**
 * What [pretrainingGain] charges a public checkpoint's arm (pretraining `checkpoint:…`): the
 * pretraining cost its authors published, where dnalab has a verified statement of it, else "not
 * stated"; never its fine-tuning time, which both arms spend alike.
 */
internal const val CHECKPOINT_COST = "a public checkpoint is charged the pretraining cost its authors " +
    "state, where dnalab has the statement; otherwise its cost reads \"not stated\""

/** The device a [Cost] names when the checkpoint's pretraining cost is not stated. */
internal const val NOT_STATED = "not stated"

/**
 * Published pretraining costs of public checkpoints, by the checkpoint's name as its arm is
 * labelled (`checkpoint:NAME`, the hub id's name), as device-hours: the stated time × the stated
 * number of devices, on the stated devices. A checkpoint is entered only where its authors state
 * both hardware and time; a figure is never estimated. The wording was checked where this was
 * written in a full-text summary of each paper (the papers' own pages were not readable there).
 *
 * - DNABERT-2 (`zhihan1996/DNABERT-2-117M`): Zhou et al., "DNABERT-2: Efficient Foundation Model
 *   and Benchmark for Multi-Species Genomes", ICLR 2024 (arXiv 2306.15006v2), its pre-training
 *   details: about 14 days on 8 NVIDIA RTX 2080Ti GPUs → 14 × 24 × 8 = 2,688 GPU-hours.
 * - DNABERT 6-mer (`zhihan1996/DNA_bert_6`): Ji et al., "DNABERT: pre-trained Bidirectional
 *   Encoder Representations from Transformers model for DNA-language in genome", Bioinformatics
 *   37(15):2112–2120 (2021), its pre-training details: about 25 days on 8 NVIDIA 2080Ti GPUs →
 *   25 × 24 × 8 = 4,800 GPU-hours.
 * - Nucleotide Transformer v1 2.5B models (`InstaDeepAI/nucleotide-transformer-2.5b-multi-species`,
 *   `…-2.5b-1000g`): Dalla-Torre et al., "Nucleotide Transformer: building and evaluating robust
 *   foundation models for human genomics", Nature Methods (2024), its training details: the
 *   2.5B-parameter models trained for 28 days on 128 NVIDIA A100 GPUs → 28 × 24 × 128 = 86,016
 *   GPU-hours. The 500M models' training time is not stated (only their 50B training tokens),
 *   so `nucleotide-transformer-500m-*` reads "not stated".
 */
internal val PUBLISHED_PRETRAINING_COSTS: Map<String, Cost> = mapOf(
    "DNABERT-2-117M" to publishedCost(days = 14.0, devices = 8, device = "NVIDIA RTX 2080Ti GPU"),
    "DNA_bert_6" to publishedCost(days = 25.0, devices = 8, device = "NVIDIA 2080Ti GPU"),
    "nucleotide-transformer-2.5b-multi-species" to publishedCost(days = 28.0, devices = 128, device = "NVIDIA A100 GPU"),
    "nucleotide-transformer-2.5b-1000g" to publishedCost(days = 28.0, devices = 128, device = "NVIDIA A100 GPU"),
)

/**
 * A published pretraining cost as device-hours (the [Cost]'s seconds are device-seconds: days ×
 * devices), its device named with "published" and the stated count and days.
 */
private fun publishedCost(days: Double, devices: Int, device: String): Cost =
    Cost.of(days * 24 * 3600 * devices, Double.NaN, "$devices × $device for ${days.toInt()} days (published)")

private fun isCheckpointArm(run: RunResult): Boolean = run.pretrain().startsWith("checkpoint:")

private fun publishedCost(run: RunResult): Cost =
    PUBLISHED_PRETRAINING_COSTS[run.pretrain().removePrefix("checkpoint:")] ?: Cost.of(0.0, Double.NaN, NOT_STATED)

/** The default cost of a group of runs: their mean wall time on their device, no FLOP estimate. */
fun meanRunCost(runs: List<RunResult>): Cost =
    Cost.of(runs.map { it.wallSeconds() }.average(), Double.NaN, runs.first().device())

/**
 * What one pretraining behind [treated] cost (wall time, FLOPs, device: the mean over its
 * pretraining seeds, each one pretrained model), or null when it did not run in this experiment.
 */
internal fun Results.pretrainingCost(treated: List<RunResult>): Cost? {
    val first = treated.first()
    val costs = pretrainings.filter {
        it.cell.tokenizer().id() == first.tokenizer() && it.cell.model().id() == first.model() &&
            it.cell.pretrain().id() == first.pretrain()
    }.map { it.result.cost() }
    if (costs.isEmpty()) return null
    if (costs.size == 1) return costs.single()
    return Cost(
        costs.first().parameters(), costs.map { it.tokensSeen() }.average().toLong(),
        costs.map { it.wallSeconds() }.average(), costs.first().device(), costs.map { it.flops() }.average(),
    )
}

private fun bySeed(group: List<RunResult>, metric: String): Map<Long, Double> {
    val seeds = group.groupBy { it.seed() }.filterValues { it.size > 1 }.keys
    require(seeds.isEmpty()) {
        "seed(s) $seeds appear more than once in cell ${group.first().task()} · ${group.first().model()} · " +
            "${group.first().tokenizer()} · ${group.first().pretrain()}" +
            (group.first().pretrainSeed()?.let { " (pretraining seed $it)" } ?: "") +
            ": pairing needs one run per seed"
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
    /**
     * Per gain, in [gains]' order, the paired bootstrap over test examples of the metric
     * difference; null (or an empty list) where the runs' test predictions are not available.
     */
    val exampleBootstraps: List<PairedBootstrap?> = emptyList(),
) {
    init {
        require(exampleBootstraps.isEmpty() || exampleBootstraps.size == gains.size) {
            "${gains.size} gains but ${exampleBootstraps.size} example bootstraps"
        }
    }

    /**
     * Holm-adjusted p-values of the gains' t-tests ([PairedGain.pValue]), in [gains]' order: the
     * family is every gain of this table with a defined p-value.
     */
    fun holmAdjusted(): List<Double> = Holm.adjust(*gains.map { it.gain().pValue() }.toDoubleArray()).toList()

    /**
     * One row per comparison: the seeds it rests on (pretraining × fine-tuning, with unpaired
     * fine-tuning seeds named), the gain as mean ± sd over its units, its 95% interval (the one the
     * verdict rests on: Student t below [MeanIntervals.T_BELOW] units), the percentile bootstrap
     * interval for reference, the paired bootstrap over test examples where predictions were
     * given, the t-test p-value and, with more than one gain, its Holm adjustment over the table,
     * the verdict, the cost and the gain per device-hour and per PFLOP (each with the interval
     * scaled by the cost, which is taken as fixed).
     */
    fun toTable(): Table {
        val metric = gains.map { it.metric() }.distinct().joinToString("/")
        val intervals = gains.map { it.gain().interval() }
        val many = gains.size > 1
        val holm = holmAdjusted()
        val units = gains.map { it.gain().unit() }.distinct()
        val unitNote = when {
            units == listOf(PairedGain.Unit.PRETRAINING_SEED) ->
                "the unit is the pretraining seed (fine-tuning seeds averaged within each, interval over pretraining seeds)"
            units == listOf(PairedGain.Unit.FINETUNING_SEED) ->
                "one pretraining run per arm, so the interval is over fine-tuning seeds only " +
                    "(fine-tuning noise around one pretrained checkpoint, not the effect of pretraining)"
            else -> "the unit is the pretraining seed where a row has several, else the fine-tuning seed " +
                "(fine-tuning noise around one pretrained checkpoint)"
        }
        val bootstrapNote = when {
            exampleBootstraps.none { it != null } -> "bootstrap over test examples: — (per-example test predictions not available)"
            else -> "bootstrap over test examples: paired, ${PairedBootstrap.RESAMPLES} resamples of the test set, " +
                "the difference averaged over paired runs; it measures test-set sampling, the seed-level CI training noise"
        }
        val testNote = "p: two-sided one-sample t-test of the unit differences" +
            (if (many) "; Holm p: Holm-adjusted over the ${gains.size} gains of this table" else "")
        return Table(
            columns = listOf(
                "task", "model", "tokenizer", "pretraining", "seeds (pretraining × fine-tuning)",
                "gain (mean ± sd)", "95% CI", "bootstrap 95% CI", "bootstrap Δ over test examples [lo, hi]", "p",
            ) + (if (many) listOf("Holm p") else emptyList()) + listOf(
                "verdict", "cost", "gain / device-hour", "gain / PFLOP",
            ),
            rows = gains.mapIndexed { i, g ->
                listOf(
                    g.task(), g.model(), g.tokenizer(), g.pretrain(),
                    g.gain().seedCounts() + (if (g.gain().unpairedSeeds().isEmpty()) "" else " (unpaired: ${g.gain().unpairedSeeds().joinToString(", ")})"),
                    g.gain().spread().format(3) + collapseMark(g),
                    g.gain().interval().format(3) + " " + g.gain().interval().method().label(),
                    g.gain().bootstrap().format(3),
                    exampleBootstraps.getOrNull(i)?.format(3) ?: "—",
                    pValue(g.gain().pValue()),
                ) + (if (many) listOf(pValue(holm[i])) else emptyList()) + listOf(
                    g.verdictText(),
                ) + (if (g.cost().device() == NOT_STATED) listOf("not stated", "—", "—") else listOf(
                    String.format(Locale.ROOT, "%.3f %s", g.cost().deviceHours(), g.cost().hourUnit()) +
                        (if (g.cost().flops().isNaN()) "" else String.format(Locale.ROOT, ", %.3g PFLOP", g.cost().pflops())),
                    perUnit(g.perDeviceHour(), "/ ${g.cost().hourUnit()}"),
                    perUnit(g.perPflop(), "/ PFLOP"),
                ))
            },
            caption = "$experiment: pretraining gain in test $metric (pretrained − ${gains.first().baseline()}, paired by fine-tuning seed); " +
                "$unitNote; ${IntervalCharts.describe(intervals)}; better / worse only when the CI excludes 0; " +
                "$bootstrapNote; $testNote; cost: $costDescription" +
                (if (gains.any { it.collapsedRuns().isNotEmpty() }) "; $FLAG arm collapsed: a run of either arm is degenerate (test predictions all one class, or dev MCC ≤ 0 at every evaluation), so its gain measures the collapse" else ""),
        )
    }

    fun toHtml(): String = toTable().toHtml()

    override fun toString(): String = toTable().toString()

    private fun pValue(p: Double): String = if (p.isNaN()) "—" else String.format(Locale.ROOT, "%.3g", p)

    /** ⚠ and how many runs collapsed, beside the numbers of a gain resting on a degenerate arm. */
    private fun collapseMark(g: PretrainingGain): String =
        if (g.collapsedRuns().isEmpty()) "" else " $FLAG ${g.collapsedRuns().size} run(s) collapsed"

    private fun perUnit(interval: Interval, unit: String): String =
        if (interval.estimate().isNaN()) "—"
        else String.format(Locale.ROOT, "%.3g %s", interval.estimate(), unit) +
            (if (interval.defined()) " " + interval.format(3) else "")
}

/**
 * Each run's test predictions as the result store keeps them (through the facade), or null when
 * the runs' stage keys are unknown or none of them kept predictions (runs recorded before
 * predictions were stored): the default that fills the gains table's bootstrap column.
 */
internal fun Results.storedTestPredictions(): ((RunResult) -> TestPredictions?)? {
    if (runs.isEmpty() || runKeys.size != runs.size) return null
    val byKey = Dnalab.testPredictions(runKeys)
    if (byKey.isEmpty()) return null
    // By identity: two runs could be equal as values (same numbers) yet be different stages.
    val keyOf = java.util.IdentityHashMap<RunResult, String>().apply { runs.zip(runKeys).forEach { (run, key) -> put(run, key) } }
    return { run -> keyOf[run]?.let { byKey[it] }?.let { TestPredictions(it.labels(), it.predicted()) } }
}
