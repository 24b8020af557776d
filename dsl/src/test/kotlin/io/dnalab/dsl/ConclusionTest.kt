package io.dnalab.dsl

import io.dnalab.metrics.Verdict
import io.dnalab.result.MetricSet
import io.dnalab.result.RunResult
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

/**
 * The generated conclusion: every sentence from a verdict, an interval, a seed count, a flag or a
 * cost. The intervals are checked against a hand computation (numpy/scipy, 95% Student t over the
 * three pretraining seeds' means):
 *
 * ```
 * T = np.array([[0.62, 0.60, 0.65], [0.58, 0.57, 0.61], [0.66, 0.63, 0.64]])  # mlm: pretraining seed × fine-tuning seed
 * S = np.array([[0.52, 0.50, 0.55], [0.50, 0.49, 0.53], [0.54, 0.52, 0.55]])  # spanMlm
 * c = np.array([0.55, 0.54, 0.58])                                           # random init per fine-tuning seed
 * g = (T - c).mean(1); stats.t.interval(0.95, 2, loc=g.mean(), scale=stats.sem(g)) → mean 0.0611, (-0.0103, 0.1325)
 * g = (T + 0.05 - c).mean(1)  → mean 0.1111, (0.0397, 0.1825)                     # better
 * g = (S - 0.05 - c).mean(1)  → mean -0.0844, (-0.1218, -0.0471)                  # worse
 * d = T.mean(1) - S.mean(1); stats.t.interval(…)  → mean 0.0956, (0.0611, 0.1300)  # mlm − spanMlm
 * ```
 */
class ConclusionTest {
    private val mlm = mlm(steps = 10, seeds = 3)
    private val span = spanMlm(steps = 10, seeds = 3)
    private val spec = experimentSpec("concluded") {
        task(gue("tf_0")); model(convNova()); pretrain(none, mlm, span); seeds(3)
    }

    private fun run(pretrain: String, pretrainSeed: Long?, seed: Long, mcc: Double, degenerate: String? = null) = RunResult(
        "concluded", "gue/tf_0", "nucleotide", "convnova", pretrain, seed,
        MetricSet(100, 0.8, mcc, 0.8, 0.9, 0.9, 0.4),
        MetricSet(100, 0.75, mcc, 0.75, 0.85, 0.86, 0.5),
        100_000, 90.0, 3, 300, 2, "cpu()", -1, Double.NaN, pretrainSeed, degenerate,
    )

    private val mlmRuns = listOf(listOf(0.62, 0.60, 0.65), listOf(0.58, 0.57, 0.61), listOf(0.66, 0.63, 0.64))
    private val spanRuns = listOf(listOf(0.52, 0.50, 0.55), listOf(0.50, 0.49, 0.53), listOf(0.54, 0.52, 0.55))
    private val control = listOf(0.55, 0.54, 0.58)

    private fun none(degenerateSeed: Long? = null) = control.mapIndexed { f, mcc ->
        val seed = f + 1L
        if (seed == degenerateSeed) run("none", null, seed, 0.0, "test predictions all class 0") else run("none", null, seed, mcc)
    }

    private fun arm(pretrain: String, values: List<List<Double>>, shift: Double = 0.0) =
        values.flatMapIndexed { p, row -> row.mapIndexed { f, mcc -> run(pretrain, p.toLong(), f + 1L, mcc + shift) } }

    private fun onlyGain(runs: List<RunResult>) = conclusionOf(Results(spec, runs).pretrainingGain())

    @Test
    fun `a gain whose interval excludes zero upwards reads better, with its numbers, seeds and cost`() {
        val conclusion = onlyGain(none() + arm(mlm.id(), mlmRuns, shift = 0.05))
        assertThat(conclusion.sentences).containsExactly(
            "Of 1 pretraining gain in test MCC: 1 better than random initialisation.",
            "On gue/tf_0, ${mlm.id()} pretraining of convnova (nucleotide tokens; 3 pretraining × 3 fine-tuning seeds) " +
                "changed test MCC by +0.111 [0.040, 0.183]: better than random initialisation, at a cost of 1.5 CPU-minutes " +
                "($DEFAULT_COST).",
        )
    }

    @Test
    fun `a gain whose interval excludes zero downwards reads worse`() {
        val sentence = onlyGain(none() + arm(span.id(), spanRuns, shift = -0.05)).sentences[1]
        assertThat(sentence).contains("changed test MCC by -0.084 [-0.122, -0.047]: worse than random initialisation")
    }

    @Test
    fun `a gain whose interval spans zero is not distinguishable, never better`() {
        val conclusion = onlyGain(none() + arm(mlm.id(), mlmRuns))
        assertThat(conclusion.sentences[0]).isEqualTo("Of 1 pretraining gain in test MCC: 1 not distinguishable from it.")
        assertThat(conclusion.sentences[1])
            .contains("changed test MCC by +0.061 [-0.010, 0.133]: not distinguishable from random initialisation")
            .doesNotContain("better")
    }

    @Test
    fun `a gain resting on a collapsed run says arm collapsed and names the run, whatever the interval`() {
        val results = Results(spec, none(degenerateSeed = 2) + arm(mlm.id(), mlmRuns, shift = 0.05))
        assertThat(results.pretrainingGain().gains.single().verdict()).isEqualTo(Verdict.ARM_COLLAPSED)
        val conclusion = conclusionOf(results.pretrainingGain())
        assertThat(conclusion.sentences[0]).isEqualTo("Of 1 pretraining gain in test MCC: 1 resting on a collapsed arm (no verdict).")
        assertThat(conclusion.sentences[1])
            .contains(": arm collapsed (1 degenerate run: none seed 2: test predictions all class 0), so the difference measures the collapse")
            .doesNotContain("better")
    }

    @Test
    fun `a single pretraining seed says its interval is fine-tuning noise around one checkpoint`() {
        val one = mlm(steps = 10)
        val single = experimentSpec("concluded") { task(gue("tf_0")); model(convNova()); pretrain(none, one); seeds(3) }
        val runs = none() + mlmRuns[0].mapIndexed { f, mcc -> run(one.id(), 0L, f + 1L, mcc) }
        val sentence = conclusionOf(Results(single, runs).pretrainingGain()).sentences[1]
        assertThat(sentence).contains("(nucleotide tokens; 1 pretraining × 3 fine-tuning seeds)")
            .endsWith("; with one pretraining run the interval covers fine-tuning noise around one checkpoint, not the effect of pretraining.")
    }

    @Test
    fun `objectives are compared by the fine-tuned metric over pretraining seeds, and the conclusion says so`() {
        val results = Results(spec, none() + arm(mlm.id(), mlmRuns) + arm(span.id(), spanRuns))
        val comparison = results.objectiveComparison()
        val row = comparison.comparisons.single()
        assertThat(row.pretrain()).isEqualTo(mlm.id())
        assertThat(row.baseline()).isEqualTo(span.id())
        assertThat(row.gain().seedCounts()).isEqualTo("3 × 3")
        assertThat(row.gain().interval().low()).isCloseTo(0.061081255471940196, within(1e-12))
        assertThat(row.gain().interval().high()).isCloseTo(0.1300298556391709, within(1e-12))
        val table = comparison.toTable()
        assertThat(table.rows.single()[table.columns.indexOf("verdict")]).isEqualTo("${mlm.id()} better")
        assertThat(table.caption).contains("not by held-out pretraining loss")

        val sentences = results.conclusion().sentences
        // Two gains (mlm, spanMlm), then the comparison; both gains are not distinguishable.
        assertThat(sentences[0]).isEqualTo("Of 2 pretraining gains in test MCC: 2 not distinguishable from it.")
        assertThat(sentences[1]).contains("(Holm-adjusted p = ")
        assertThat(sentences.last()).isEqualTo(
            "On gue/tf_0 (convnova, nucleotide tokens), fine-tuning after ${mlm.id()} rather than ${span.id()} " +
                "(3 pretraining × 3 fine-tuning seeds each, same corpus, steps and recipe) changed test MCC by +0.096 " +
                "[0.061, 0.130]: ${mlm.id()} better.",
        )
    }

    @Test
    fun `pretrainings that differ in more than the objective are not compared`() {
        val longer = spanMlm(steps = 20, seeds = 3)
        val mixed = experimentSpec("concluded") { task(gue("tf_0")); model(convNova()); pretrain(none, mlm, longer); seeds(3) }
        val results = Results(mixed, none() + arm(mlm.id(), mlmRuns) + arm(longer.id(), spanRuns))
        assertThat(results.objectiveComparison().comparisons).isEmpty()
        assertThat(results.conclusion().sentences).hasSize(3)
    }

    @Test
    fun `the conclusion renders as a Markdown list and as escaped HTML`() {
        val conclusion = Conclusion(listOf("a < b", "c"))
        assertThat(conclusion.toMarkdown()).isEqualTo("- a < b\n- c")
        assertThat(conclusion.toHtml()).isEqualTo("<div class=\"dnalab-conclusion\"><ul><li>a &lt; b</li><li>c</li></ul></div>")
    }

    private fun within(tolerance: Double) = org.assertj.core.data.Offset.offset(tolerance)
}
