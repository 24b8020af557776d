package io.dnalab.dsl

import io.dnalab.metrics.Verdict
import io.dnalab.result.MetricSet
import io.dnalab.result.RunResult
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.assertThatThrownBy
import org.assertj.core.data.Offset
import org.junit.jupiter.api.Test

/**
 * A pretrained transformer (3 pretraining × 2 fine-tuning seeds) and its random-init twin against
 * ConvNova from scratch (3 fine-tuning seeds), by Welch's interval over each arm's units. By hand
 * (scipy, `stats.ttest_ind(a, b, equal_var=False)` and its `confidence_interval(0.95)`):
 *
 * ```
 * mlm units: pretraining seed means of [0.40, 0.44], [0.45, 0.47], [0.43, 0.45] → [0.42, 0.46, 0.44]
 * twin units: fine-tuning seeds [0.30, 0.31]; ConvNova units: [0.50, 0.53, 0.49]
 * mlm − ConvNova  → -0.0667, df 3.9936, CI (-0.11296996570934204, -0.02036336762399138)   worse
 * twin − ConvNova → -0.2017, df 2.5967, CI (-0.24698219390480708, -0.15635113942852635)   worse
 * with ConvNova [0.40, 0.47, 0.41]: mlm − ConvNova → +0.0133, CI (-0.06481910735818097, 0.09148577402484759)
 * with ConvNova [0.30, 0.31]:       mlm − ConvNova → +0.135,  CI (0.09162697919526697, 0.17837302080473305)  better
 * ```
 */
class ModelComparisonTest {
    private val mlm = mlm(steps = 10, seeds = 3)
    private val transformerSpec = experimentSpec("transformer") {
        task(gue("prom_core_all")); model(bert(layers = 2, hidden = 128)); pretrain(none, mlm); seeds(2)
    }
    private val scratchSpec = experimentSpec("scratch") { task(gue("prom_core_all")); model(convNova()); seeds(3) }

    private fun run(
        model: String, pretrain: String, pretrainSeed: Long?, seed: Long, mcc: Double, wallSeconds: Double,
        degenerate: String? = null,
    ) = RunResult(
        "x", "gue/prom_core_all", "nucleotide", model, pretrain, seed,
        MetricSet(100, 0.8, mcc, 0.8, 0.9, 0.9, 0.4),
        MetricSet(100, 0.75, mcc, 0.75, 0.85, 0.86, 0.5),
        100_000, wallSeconds, 2, 60, 2, "cpu()", -1, Double.NaN, pretrainSeed, degenerate,
    )

    private val mlmRuns = listOf(listOf(0.40, 0.44), listOf(0.45, 0.47), listOf(0.43, 0.45))
        .flatMapIndexed { p, row -> row.mapIndexed { f, mcc -> run("bert-2x128", mlm.id(), p.toLong(), f + 1L, mcc, 120.0) } }
    private val twinRuns = listOf(0.30, 0.31).mapIndexed { f, mcc -> run("bert-2x128", "none", null, f + 1L, mcc, 120.0) }

    private fun scratch(vararg mcc: Double, degenerateSeed: Long? = null) = Results(scratchSpec, mcc.mapIndexed { f, value ->
        val seed = f + 1L
        if (seed == degenerateSeed) run("convnova-d64-k5", "none", null, seed, 0.0, 30.0, "test predictions all class 0")
        else run("convnova-d64-k5", "none", null, seed, value, 30.0)
    })

    private val transformer = Results(transformerSpec, twinRuns + mlmRuns)

    @Test
    fun `each transformer arm is compared with ConvNova from scratch over its own units, unpaired`() {
        val comparison = transformer.against(scratch(0.50, 0.53, 0.49))
        assertThat(comparison.comparisons.map { it.pretrain }).containsExactly("none", mlm.id())
        val (twin, pretrained) = comparison.comparisons

        assertThat(pretrained.armSeeds()).isEqualTo("3 pretraining × 2 fine-tuning")
        assertThat(pretrained.baselineSeeds()).isEqualTo("3 fine-tuning")
        // Each pretraining seed's mean over its fine-tuning seeds (rounding of the sums: 1e-12).
        pretrained.difference.treated().zip(listOf(0.42, 0.46, 0.44)).forEach { (unit, byHand) ->
            assertThat(unit).isCloseTo(byHand, within(1e-12))
        }
        assertThat(pretrained.difference.mean()).isCloseTo(0.44 - 1.52 / 3, within(1e-12))
        assertThat(pretrained.difference.interval().low()).isCloseTo(-0.11296996570934204, within(1e-7))
        assertThat(pretrained.difference.interval().high()).isCloseTo(-0.02036336762399138, within(1e-7))
        assertThat(pretrained.verdict).isEqualTo(Verdict.WORSE)

        assertThat(twin.armSeeds()).isEqualTo("2 fine-tuning")
        assertThat(twin.difference.interval().low()).isCloseTo(-0.24698219390480708, within(1e-7))
        assertThat(twin.difference.interval().high()).isCloseTo(-0.15635113942852635, within(1e-7))
        assertThat(twin.verdict).isEqualTo(Verdict.WORSE)

        val table = comparison.toTable()
        assertThat(table.caption).startsWith("transformer against scratch: model families compared in test mcc")
            .contains("Welch's t interval")
        val row = table.rows[1]
        assertThat(row[table.columns.indexOf("baseline (from scratch)")]).isEqualTo("convnova-d64-k5 · nucleotide")
        assertThat(row[table.columns.indexOf("arm − baseline")]).isEqualTo("-0.067")
        assertThat(row[table.columns.indexOf("95% CI")]).isEqualTo("[-0.113, -0.020] Welch t, df 4.0")
        assertThat(row[table.columns.indexOf("verdict")]).isEqualTo("worse")
        // No pretraining ran in these Results: the pretrained arm's fine-tuning, its pretraining
        // said to be unmeasured (never counted as free); the random-init twin's fine-tuning alone.
        assertThat(row[table.columns.indexOf("cost: arm")]).isEqualTo("2.0 CPU-minutes (fine-tuning; pretraining not measured here)")
        assertThat(table.rows[0][table.columns.indexOf("cost: arm")]).isEqualTo("2.0 CPU-minutes (fine-tuning)")
        assertThat(row[table.columns.indexOf("cost: baseline")]).isEqualTo("0.5 CPU-minutes (fine-tuning)")
        assertThat(row[table.columns.indexOf("bootstrap Δ over test examples [lo, hi]")]).isEqualTo("—")
    }

    @Test
    fun `better and no clear difference only as the Welch interval says`() {
        val close = transformer.against(scratch(0.40, 0.47, 0.41)).comparisons.single { it.pretrain == mlm.id() }
        assertThat(close.difference.interval().low()).isCloseTo(-0.06481910735818097, within(1e-7))
        assertThat(close.difference.interval().high()).isCloseTo(0.09148577402484759, within(1e-7))
        assertThat(close.verdict).isEqualTo(Verdict.NO_CLEAR_DIFFERENCE)
        val ahead = transformer.against(scratch(0.30, 0.31)).comparisons.single { it.pretrain == mlm.id() }
        assertThat(ahead.difference.interval().low()).isCloseTo(0.09162697919526697, within(1e-7))
        assertThat(ahead.verdict).isEqualTo(Verdict.BETTER)
    }

    @Test
    fun `a collapsed ConvNova run makes every comparison arm collapsed, whatever the interval`() {
        // Without the flag, mlm − ConvNova [0.0, 0.31, 0.30] would be a difference far above 0.
        val comparison = transformer.against(scratch(0.50, 0.31, 0.30, degenerateSeed = 1))
        assertThat(comparison.comparisons.map { it.verdict }).containsOnly(Verdict.ARM_COLLAPSED)
        val table = comparison.toTable()
        assertThat(table.rows[1][table.columns.indexOf("verdict")])
            .isEqualTo("arm collapsed (convnova-d64-k5 none seed 1: test predictions all class 0)")
        assertThat(table.rows[1][table.columns.indexOf("baseline mcc (mean ± sd)")]).endsWith("$FLAG 1 run(s) collapsed")
        assertThat(table.caption).contains("$FLAG arm collapsed")
    }

    @Test
    fun `the conclusion gains one generated sentence per comparison`() {
        val sentences = conclusionOf(
            transformer.pretrainingGain(), null, transformer.against(scratch(0.50, 0.53, 0.49)),
        ).sentences
        // The tally, the one pretraining gain, then the two comparisons with ConvNova.
        assertThat(sentences).hasSize(4)
        assertThat(sentences[2]).isEqualTo(
            "On gue/prom_core_all, bert-2x128 (nucleotide tokens) from random initialisation (2 fine-tuning seeds) " +
                "scored test MCC 0.305 against 0.507 for convnova-d64-k5 from scratch (3 fine-tuning seeds), a difference " +
                "of -0.202 [-0.247, -0.156] (Welch t, not paired): worse than convnova-d64-k5 from scratch, at 2.0 " +
                "CPU-minutes (fine-tuning) per model against 0.5 CPU-minutes (fine-tuning).",
        )
        assertThat(sentences[3]).startsWith(
            "On gue/prom_core_all, bert-2x128 (nucleotide tokens) after ${mlm.id()} pretraining (3 pretraining × 2 " +
                "fine-tuning seeds) scored test MCC 0.440 against 0.507",
        ).contains("a difference of -0.067 [-0.113, -0.020] (Welch t, not paired): worse than convnova-d64-k5 from scratch")
            .endsWith("at 2.0 CPU-minutes (fine-tuning; pretraining not measured here) per model against 0.5 CPU-minutes (fine-tuning).")

        val collapsed = conclusionOf(
            transformer.pretrainingGain(), null, transformer.against(scratch(0.50, 0.31, 0.30, degenerateSeed = 1)),
        ).sentences
        assertThat(collapsed[3]).contains(
            ": arm collapsed (1 degenerate run: convnova-d64-k5 none seed 1: test predictions all class 0), " +
                "so the difference measures the collapse, not the arms",
        ).doesNotContain("better")
        // One unit in an arm: no interval, so no verdict either way.
        val single = conclusionOf(transformer.pretrainingGain(), null, transformer.against(scratch(0.90))).sentences
        assertThat(single[3]).contains("(no interval: fewer than 2 units in an arm, or no spread): not distinguishable from")
    }

    @Test
    fun `the cost names pretraining and fine-tuning apart`() {
        assertThat(ArmCost(252.0, 30.0, "CPU-hour").describe()).isEqualTo("4.2 + 0.5 = 4.7 CPU-minutes (pretraining + fine-tuning)")
        assertThat(ArmCost(0.0, 18.0, "GPU-hour").describe()).isEqualTo("0.3 GPU-minutes (fine-tuning)")
    }

    @Test
    fun `test predictions of both experiments give a bootstrap over test examples`() {
        // Four test examples; the arm's six runs all right on 3 of 4, ConvNova's three on 2 of 4:
        // accuracy 0.75 − 0.50 = +0.25 on every resample's full set, the estimate by hand.
        val labels = intArrayOf(0, 1, 0, 1)
        val comparison = transformer.against(scratch(0.50, 0.53, 0.49), metric = "accuracy") { run ->
            if (run.model() == "bert-2x128") TestPredictions(labels, intArrayOf(0, 1, 0, 0))
            else TestPredictions(labels, intArrayOf(0, 0, 0, 0))
        }
        val boot = comparison.comparisons.single { it.pretrain == mlm.id() }.exampleBootstrap!!
        assertThat(boot.interval().estimate()).isCloseTo(0.25, within(1e-12))
        assertThat(boot.examples()).isEqualTo(4)
    }

    @Test
    fun `no shared task or no from-scratch arm of another family is refused with what there is`() {
        assertThatThrownBy { transformer.against(transformer.let { Results(it.spec, twinRuns) }) }
            .isInstanceOf(IllegalArgumentException::class.java)
            .hasMessageContaining("no arm of 'transformer' shares a task with a from-scratch ('none') arm of another model family")
    }

    private fun within(tolerance: Double) = Offset.offset(tolerance)
}
