package io.dnalab.dsl

import io.dnalab.metrics.Holm
import io.dnalab.metrics.PairedGain
import io.dnalab.metrics.PretrainingGain
import io.dnalab.metrics.Verdict
import io.dnalab.plots.IntervalCharts
import io.dnalab.result.Cost
import io.dnalab.result.RunResult
import io.dnalab.spec.PretrainSpec
import java.util.Locale

/**
 * Pretraining objectives compared downstream: per task × model × tokenizer, every pair of
 * pretrained arms whose pretrainings differ only in the objective (same corpus, steps, batch,
 * window and learning rate; the cell's fine-tuning recipe is the same by construction), by the
 * fine-tuned test metric, first arm minus second. Held-out pretraining losses are not compared:
 * each objective scores its own masks, so their losses are not on one scale.
 *
 * The unit is the pretraining seed: each arm's runs are averaged over fine-tuning seeds within
 * each pretraining seed, and pretraining seed s of one arm is paired with seed s of the other
 * (the paired t interval stays valid if the two are independent). With one pretraining seed per
 * arm the pairing is by fine-tuning seed, and the interval covers fine-tuning noise only.
 * [comparisons] reuse [PretrainingGain]: `pretrain` is the first objective's arm, `baseline` the
 * second's, `cost` the first arm's pretraining.
 */
class ObjectiveComparison(val experiment: String, val comparisons: List<PretrainingGain>) {

    fun toTable(): Table {
        val metric = comparisons.map { it.metric() }.distinct().joinToString("/")
        return Table(
            columns = listOf(
                "task", "model", "tokenizer", "objective A", "objective B", "seeds (pretraining × fine-tuning)",
                "A − B (mean ± sd)", "95% CI", "p", "verdict",
            ),
            rows = comparisons.map { c ->
                listOf(
                    c.task(), c.model(), c.tokenizer(), c.pretrain(), c.baseline(), c.gain().seedCounts(),
                    c.gain().spread().format(3) + (if (c.collapsedRuns().isEmpty()) "" else " $FLAG"),
                    c.gain().interval().format(3) + " " + c.gain().interval().method().label(),
                    if (c.gain().pValue().isNaN()) "—" else String.format(Locale.ROOT, "%.3g", c.gain().pValue()),
                    objectiveVerdict(c),
                )
            },
            caption = "$experiment: pretraining objectives compared by fine-tuned test $metric (A − B, same corpus, " +
                "steps and fine-tuning recipe), not by held-out pretraining loss (each objective scores its own " +
                "masks, so the losses are not comparable); the unit is the pretraining seed (fine-tuning seeds " +
                "averaged within each), seed s of A paired with seed s of B; " +
                IntervalCharts.describe(comparisons.map { it.gain().interval() }) +
                (if (comparisons.any { it.collapsedRuns().isNotEmpty() }) "; $FLAG arm collapsed: a run of either arm is degenerate" else ""),
        )
    }

    fun toHtml(): String = toTable().toHtml()

    override fun toString(): String = toTable().toString()
}

/** "A better", "B better", "no clear difference" or "arm collapsed (…)" for an objective comparison. */
internal fun objectiveVerdict(c: PretrainingGain): String = when (c.verdict()) {
    Verdict.BETTER -> "${c.pretrain()} better"
    Verdict.WORSE -> "${c.baseline()} better"
    Verdict.NO_CLEAR_DIFFERENCE -> "no clear difference"
    Verdict.ARM_COLLAPSED -> c.verdictText()
}

/**
 * Pretraining objectives compared by fine-tuned test [metric] (see [ObjectiveComparison]); empty
 * when no cell has two pretrained arms that differ only in their objective.
 */
fun Results.objectiveComparison(metric: String = "mcc"): ObjectiveComparison {
    val pretrainings = spec.pretraining().filterIsInstance<PretrainSpec.Pretrain>().associateBy { it.id() }
    val comparisons = runs.groupBy { Triple(it.task(), it.model(), it.tokenizer()) }.flatMap { (cell, group) ->
        val arms = group.filter { it.pretrain() in pretrainings }.groupBy { it.pretrain() }
        val ids = arms.keys.toList()
        ids.flatMapIndexed { i, a ->
            ids.drop(i + 1).filter { b -> sameButObjective(pretrainings.getValue(a), pretrainings.getValue(b)) }.map { b ->
                val first = arms.getValue(a)
                val second = arms.getValue(b)
                val paired = try {
                    pairedObjectives(first, second, metric)
                } catch (e: IllegalArgumentException) {
                    throw IllegalArgumentException("objective comparison ${cell.first} · ${cell.second} · ${cell.third} · $a vs $b: ${e.message}", e)
                }
                PretrainingGain(
                    cell.first, cell.third, cell.second, a, b, metric, paired,
                    pretrainingCost(first) ?: meanRunCost(first), PretrainingGain.collapsedRuns(first, second),
                )
            }
        }
    }
    return ObjectiveComparison(spec.name(), comparisons)
}

/** Whether two pretrainings differ in nothing a comparison of objectives must hold fixed. */
private fun sameButObjective(a: PretrainSpec.Pretrain, b: PretrainSpec.Pretrain): Boolean =
    a.objective() != b.objective() && a.corpus() == b.corpus() && a.steps() == b.steps() &&
        a.batchSize() == b.batchSize() && a.windowLength() == b.windowLength() &&
        a.learningRate() == b.learningRate()

/**
 * First arm minus second: over pretraining seeds (each the mean over its fine-tuning seeds) when
 * either arm has several, else paired by fine-tuning seed.
 */
private fun pairedObjectives(first: List<RunResult>, second: List<RunResult>, metric: String): PairedGain {
    fun byPretrainingSeed(arm: List<RunResult>) =
        arm.groupBy { it.pretrainSeed() ?: 0L }.mapValues { (_, runs) -> runs.map { it.test().get(metric) }.average() }
    val several = listOf(first, second).any { arm -> arm.map { it.pretrainSeed() }.distinct().size > 1 }
    if (!several) {
        return PairedGain.of(first.associate { it.seed() to it.test().get(metric) }, second.associate { it.seed() to it.test().get(metric) })
    }
    val within = PairedGain.of(byPretrainingSeed(first), byPretrainingSeed(second))
    // Relabel: the unit is the pretraining seed, with the fine-tuning seeds averaged in each.
    val finetuning = within.seeds().map { s -> first.count { (it.pretrainSeed() ?: 0L) == s } }
    return PairedGain(
        within.seeds(), within.differences(), within.spread(), within.interval(), within.bootstrap(), within.verdict(),
        within.unpairedSeeds(), PairedGain.Unit.PRETRAINING_SEED, finetuning, within.pValue(),
    )
}

/**
 * A conclusion whose every sentence is generated from computed verdicts, intervals, degenerate
 * flags, seed counts and costs: no hand-written claims. Renders as a Markdown bullet list
 * ([toMarkdown]) and as HTML in a notebook.
 */
class Conclusion(val sentences: List<String>) {
    fun toMarkdown(): String = sentences.joinToString("\n") { "- $it" }

    fun toHtml(): String = "<div class=\"dnalab-conclusion\"><ul>" +
        sentences.joinToString("") { "<li>" + escapeHtml(it) + "</li>" } + "</ul></div>"

    override fun toString(): String = toMarkdown()
}

/**
 * The conclusion of [Results]: [pretrainingGain] over [metric] and, where the experiment has
 * pretrained arms that differ only in their objective, [objectiveComparison]; with [against] (an
 * experiment of from-scratch arms of another model family, e.g. ConvNova), each arm against them
 * ([Results.against]).
 */
fun Results.conclusion(metric: String = "mcc", against: Results? = null): Conclusion =
    conclusionOf(
        pretrainingGain(metric), objectiveComparison(metric).takeIf { it.comparisons.isNotEmpty() },
        // The sentences use no bootstrap over test examples: skip its resampling.
        against?.let { against(it, metric, testPredictions = null) },
    )

/**
 * The sentences: a count of verdicts, then one per gain (the change, its 95% interval, the
 * verdict, the seeds it rests on and its cost; Holm's adjustment where the table has several
 * gains), then one per objective comparison, then one per comparison with a from-scratch arm of
 * another model family.
 */
fun conclusionOf(gains: GainTable, objectives: ObjectiveComparison? = null, models: ModelComparison? = null): Conclusion {
    val holm = if (gains.gains.size > 1) gains.holmAdjusted() else null
    val sentences = mutableListOf<String>()
    sentences += tally(gains.gains, gains.gains.first().metric(), gains.gains.first().baseline())
    gains.gains.forEachIndexed { i, g -> sentences += gainSentence(g, holm?.get(i), gains.gains.size, gains.costDescription) }
    objectives?.comparisons?.let { comparisons ->
        val objectiveHolm = if (comparisons.size > 1) Holm.adjust(*comparisons.map { it.gain().pValue() }.toDoubleArray()) else null
        comparisons.forEachIndexed { i, c -> sentences += objectiveSentence(c, objectiveHolm?.get(i), comparisons.size) }
    }
    models?.comparisons?.forEach { sentences += modelSentence(it) }
    return Conclusion(sentences)
}

private fun metricName(metric: String) = when (metric) {
    "mcc" -> "MCC"
    "auroc" -> "AUROC"
    else -> metric
}

private fun baselineName(baseline: String) = if (baseline == "none") "random initialisation" else baseline

/** `Of 4 pretraining gains in test MCC: 1 better than random initialisation, 3 not distinguishable from it.` */
private fun tally(gains: List<PretrainingGain>, metric: String, baseline: String): String {
    val counts = gains.groupingBy { it.verdict() }.eachCount()
    val parts = listOfNotNull(
        counts[Verdict.BETTER]?.let { "$it better than ${baselineName(baseline)}" },
        counts[Verdict.WORSE]?.let { "$it worse" },
        counts[Verdict.NO_CLEAR_DIFFERENCE]?.let { "$it not distinguishable from it" },
        counts[Verdict.ARM_COLLAPSED]?.let { "$it resting on a collapsed arm (no verdict)" },
    )
    return "Of ${gains.size} pretraining gain${if (gains.size == 1) "" else "s"} in test ${metricName(metric)}: " +
        parts.joinToString(", ") + "."
}

private fun signed(value: Double) = String.format(Locale.ROOT, "%+.3f", value)

/** The seeds a gain rests on, e.g. `3 pretraining × 3 fine-tuning seeds`. */
private fun seedsText(gain: PairedGain): String {
    val finetuning = gain.finetuningSeeds().distinct().singleOrNull()?.toString() ?: gain.finetuningSeeds().joinToString("/")
    return "${gain.pretrainingSeedCount()} pretraining × $finetuning fine-tuning seed${if (finetuning == "1") "" else "s"}"
}

/** `[-0.010, 0.090]`, or `(no interval: one seed)`. */
private fun intervalText(gain: PairedGain): String =
    if (gain.interval().defined()) gain.interval().format(3) else "(no interval: ${gain.n()} unit)"

private fun minutes(cost: Cost): String =
    String.format(Locale.ROOT, "%.1f %s-minutes", cost.wallSeconds() / 60, cost.hourUnit().removeSuffix("-hour"))

private fun holmNote(verdict: Verdict, holm: Double?, family: Int): String = when {
    holm == null || holm.isNaN() || verdict == Verdict.ARM_COLLAPSED -> ""
    verdict != Verdict.NO_CLEAR_DIFFERENCE && holm >= 0.05 ->
        String.format(Locale.ROOT, " (but not after Holm's adjustment over the %d comparisons, p = %.3g)", family, holm)
    else -> String.format(Locale.ROOT, " (Holm-adjusted p = %.3g over %d comparisons)", holm, family)
}

private fun onePretrainingNote(gain: PairedGain): String =
    if (gain.unit() == PairedGain.Unit.FINETUNING_SEED)
        "; with one pretraining run the interval covers fine-tuning noise around one checkpoint, not the effect of pretraining"
    else ""

private fun collapseText(c: PretrainingGain): String =
    "arm collapsed (${c.collapsedRuns().size} degenerate run${if (c.collapsedRuns().size == 1) "" else "s"}: " +
        c.collapsedRuns().joinToString("; ") + "), so the difference measures the collapse, not the arms"

/**
 * `On gue/tf_0, mlm-human_chr20-400 pretraining of bert-… (nucleotide tokens; 3 pretraining × 3
 * fine-tuning seeds) changed test MCC by +0.040 [-0.010, 0.090]: not distinguishable from random
 * initialisation, at a cost of 4.2 CPU-minutes of pretraining per pretraining seed.`
 */
private fun gainSentence(g: PretrainingGain, holm: Double?, family: Int, costDescription: String): String {
    val verdict = when (g.verdict()) {
        Verdict.BETTER -> "better than ${baselineName(g.baseline())}"
        Verdict.WORSE -> "worse than ${baselineName(g.baseline())}"
        Verdict.NO_CLEAR_DIFFERENCE -> "not distinguishable from ${baselineName(g.baseline())}"
        Verdict.ARM_COLLAPSED -> collapseText(g)
    }
    val cost = if (costDescription == PRETRAINING_COST) "${minutes(g.cost())} of pretraining per pretraining seed"
    else "${minutes(g.cost())} ($costDescription)"
    return "On ${g.task()}, ${g.pretrain()} pretraining of ${g.model()} (${g.tokenizer()} tokens; ${seedsText(g.gain())}) " +
        "changed test ${metricName(g.metric())} by ${signed(g.gain().mean())} ${intervalText(g.gain())}" +
        holmNote(g.verdict(), holm, family) + ": $verdict, at a cost of $cost" + onePretrainingNote(g.gain()) + "."
}

/**
 * `On gue/tf_0 (bert-…, nucleotide tokens), fine-tuning after mlm-… rather than spanmlm-… (3
 * pretraining × 3 fine-tuning seeds each) changed test MCC by +0.012 [-0.020, 0.044]: not
 * distinguishable.`
 */
private fun objectiveSentence(c: PretrainingGain, holm: Double?, family: Int): String {
    val verdict = when (c.verdict()) {
        Verdict.BETTER -> "${c.pretrain()} better"
        Verdict.WORSE -> "${c.baseline()} better"
        Verdict.NO_CLEAR_DIFFERENCE -> "the two objectives not distinguishable"
        Verdict.ARM_COLLAPSED -> collapseText(c)
    }
    return "On ${c.task()} (${c.model()}, ${c.tokenizer()} tokens), fine-tuning after ${c.pretrain()} rather than " +
        "${c.baseline()} (${seedsText(c.gain())} each, same corpus, steps and recipe) changed test " +
        "${metricName(c.metric())} by ${signed(c.gain().mean())} ${intervalText(c.gain())}" +
        holmNote(c.verdict(), holm, family) + ": $verdict" + onePretrainingNote(c.gain()) + "."
}

/**
 * `On gue/prom_core_all, bert-2x128 (nucleotide tokens) after mlm-human-100 pretraining (3
 * pretraining × 2 fine-tuning seeds) scored test MCC 0.412 against 0.530 for convnova-d64-k5 from
 * scratch (3 fine-tuning seeds), a difference of -0.118 [-0.200, -0.036] (Welch t, not paired):
 * worse than convnova-d64-k5 from scratch, at 4.2 + 0.5 = 4.7 CPU-minutes (pretraining +
 * fine-tuning) per model against 0.3 CPU-minutes (fine-tuning).`
 */
internal fun modelSentence(c: ArmComparison): String {
    val from = if (c.pretrain == "none") "from random initialisation" else "after ${c.pretrain} pretraining"
    val baseline = "${c.baselineModel} from scratch"
    val verdict = when (c.verdict) {
        Verdict.BETTER -> "better than $baseline"
        Verdict.WORSE -> "worse than $baseline"
        Verdict.NO_CLEAR_DIFFERENCE -> "not distinguishable from $baseline"
        Verdict.ARM_COLLAPSED ->
            "arm collapsed (${c.collapsedRuns.size} degenerate run${if (c.collapsedRuns.size == 1) "" else "s"}: " +
                c.collapsedRuns.joinToString("; ") + "), so the difference measures the collapse, not the arms"
    }
    val interval = if (c.difference.interval().defined()) "${c.difference.interval().format(3)} (Welch t, not paired)"
    else "(no interval: fewer than 2 units in an arm, or no spread)"
    val fmt = { v: Double -> String.format(Locale.ROOT, "%.3f", v) }
    return "On ${c.task}, ${c.model} (${c.tokenizer} tokens) $from (${c.armSeeds()} seeds) scored test " +
        "${metricName(c.metric)} ${fmt(c.difference.treatedSpread().mean())} against " +
        "${fmt(c.difference.controlSpread().mean())} for $baseline (${c.baselineSeeds()} seeds), a difference of " +
        "${signed(c.difference.mean())} $interval: $verdict, at ${c.armCost.describe()} per model against " +
        "${c.baselineCost.describe()}."
}
