package io.dnalab.dsl

import io.dnalab.metrics.PairedBootstrap
import io.dnalab.metrics.PairedGain
import io.dnalab.metrics.Verdict
import io.dnalab.result.MetricSet
import io.dnalab.result.RunResult
import io.dnalab.spec.PretrainSpec
import io.dnalab.spec.SpecException
import org.assertj.core.api.Assertions.assertThat
import org.assertj.core.api.Assertions.within
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * Gains over pretraining seeds, through the DSL. The numbers are the hand computation of
 * PairedGainTest (numpy 2.4.6, scipy 1.17.1):
 *
 * ```
 * T = np.array([[0.62, 0.60, 0.65], [0.58, 0.57, 0.61], [0.66, 0.63, 0.64]])  # pretraining seed × fine-tuning seed
 * c = np.array([0.55, 0.54, 0.58])                                           # random init per fine-tuning seed
 * g = (T - c).mean(axis=1)                                    → [0.06666667, 0.03, 0.08666667]
 * stats.t.interval(0.95, 2, loc=g.mean(), scale=stats.sem(g)) → (-0.010280341280034834, 0.13250256350225703)
 * stats.ttest_1samp(g, 0).pvalue                              → 0.06645473040501426
 * ```
 */
class PretrainingSeedGainTest {
    private val spec = experimentSpec("replicated") {
        task(gue("tf_0")); model(convNova()); pretrain(none, mlm(steps = 10, seeds = 3)); seeds(3)
    }

    private fun run(pretrain: String, pretrainSeed: Long?, seed: Long, mcc: Double) = RunResult(
        "replicated", "gue/tf_0", "nucleotide", "convnova", pretrain, seed,
        MetricSet(100, 0.8, mcc, 0.8, 0.9, 0.9, 0.4),
        MetricSet(100, 0.75, mcc, 0.75, 0.85, 0.86, 0.5),
        100_000, 100.0, 3, 300, 2, "cpu()", -1, Double.NaN, pretrainSeed, null,
    )

    private val treated = listOf(listOf(0.62, 0.60, 0.65), listOf(0.58, 0.57, 0.61), listOf(0.66, 0.63, 0.64))
    private val control = listOf(0.55, 0.54, 0.58)

    private val runs = control.mapIndexed { f, mcc -> run("none", null, f + 1L, mcc) } +
        treated.flatMapIndexed { p, row -> row.mapIndexed { f, mcc -> run("mlm", p.toLong(), f + 1L, mcc) } }

    @Test
    fun `every objective takes a number of pretraining seeds`() {
        assertThat((mlm(steps = 10, seeds = 3) as PretrainSpec.Pretrain).pretrainingSeeds()).containsExactly(0L, 1L, 2L)
        assertThat((spanMlm(steps = 10, seeds = 2) as PretrainSpec.Pretrain).seeds()).isEqualTo(2)
        assertThat((randomMask(steps = 10, seeds = 4, seed = 5) as PretrainSpec.Pretrain).pretrainingSeeds())
            .containsExactly(5L, 6L, 7L, 8L)
        assertThat((nextToken(steps = 10, seeds = 2) as PretrainSpec.Pretrain).seeds()).isEqualTo(2)
        assertThat((mlm(steps = 10) as PretrainSpec.Pretrain).seeds()).isEqualTo(1)
        assertThat(assertThrows<SpecException> { mlm(seeds = 0) })
            .hasMessage("pretrain.seeds: must be between 1 and 100, got 0")
        assertThat(spec.pretraining()[1]).isEqualTo(mlm(steps = 10, seeds = 3))
    }

    @Test
    fun `the pretraining seed is the unit and the row says how many seeds it rests on`() {
        val table = Results(spec, runs).pretrainingGain()
        val gain = table.gains.single().gain()
        assertThat(gain.unit()).isEqualTo(PairedGain.Unit.PRETRAINING_SEED)
        assertThat(gain.mean()).isCloseTo(0.061111111111111095, within(1e-12))
        assertThat(gain.interval().low()).isCloseTo(-0.010280341280034834, within(1e-12))
        assertThat(gain.interval().high()).isCloseTo(0.13250256350225703, within(1e-12))
        assertThat(gain.pValue()).isCloseTo(0.06645473040501426, within(1e-12))
        assertThat(gain.verdict()).isEqualTo(Verdict.NO_CLEAR_DIFFERENCE)

        val rendered = table.toTable()
        assertThat(rendered.columns).doesNotContain("Holm p")
        assertThat(rendered.rows[0].subList(0, 10)).containsExactly(
            "gue/tf_0", "convnova", "nucleotide", "mlm", "3 × 3",
            "0.061 ± 0.029", "[-0.010, 0.133] t", "[0.030, 0.087]", "—", "0.0665",
        )
        assertThat(rendered.caption).contains(
            "the unit is the pretraining seed (fine-tuning seeds averaged within each, interval over pretraining seeds)",
        )
    }

    /**
     * The summary's interval for a cell of 3 pretraining × 3 fine-tuning seeds is over the three
     * pretraining seeds' means (python3: means [0.62333, 0.58667, 0.64333], mean 0.617778,
     * `mean ∓ 4.302652729911275 * stdev / sqrt(3)` = [0.546386, 0.689169]); the random-init cell
     * keeps its interval over its three runs.
     */
    @Test
    fun `the summary's interval of a cell with several pretraining seeds is over their means`() {
        val summary = Results(spec, runs).summary()
        val mlm = summary.rows.single { it[3] == "mlm" }
        assertThat(mlm[4]).isEqualTo("3 × 3")
        assertThat(mlm[8]).isEqualTo("[0.546, 0.689]")
        assertThat(summary.rows.single { it[3] == "none" }[4]).isEqualTo("3")
        assertThat(summary.caption).contains("the interval is over the pretraining seeds' means")
    }

    @Test
    fun `the bootstrap over test examples pairs every pretrained run with the random-init run of its seed`() {
        val n = 300
        val labels = IntArray(n) { if ((it * 37 + 11) % 100 < 45) 1 else 0 }
        fun predictions(multiplier: Int, wrongPercent: Int) =
            IntArray(n) { if ((it * multiplier + 7) % 100 < wrongPercent) 1 - labels[it] else labels[it] }
        // One prediction vector per run: the random-init arm wrong on 30%, the pretrained arm on 20%.
        val byRun = runs.associateWith { r ->
            TestPredictions(labels, predictions(13 + 2 * (r.seed().toInt() + 3 * (r.pretrainSeed()?.toInt() ?: 3)), if (r.pretrain() == "none") 30 else 20))
        }
        val table = Results(spec, runs).pretrainingGain(testPredictions = { byRun[it] })
        val treatedRuns = runs.filter { it.pretrain() == "mlm" }
        val controlBySeed = runs.filter { it.pretrain() == "none" }.associateBy { it.seed() }
        val expected = PairedBootstrap.of(
            PairedBootstrap.Metric.MCC, labels,
            treatedRuns.map { byRun.getValue(it).predicted },
            treatedRuns.map { byRun.getValue(controlBySeed.getValue(it.seed())).predicted },
        )
        assertThat(table.exampleBootstraps.single()).isEqualTo(expected)
        assertThat(expected.pairs()).isEqualTo(9)
        assertThat(table.toTable().rows[0][8]).isEqualTo(expected.format(3))
        assertThat(table.toTable().caption).contains("bootstrap over test examples: paired, 10000 resamples")

        // Without every run's predictions there is no bootstrap, and the column says so.
        val partial = Results(spec, runs).pretrainingGain(testPredictions = { if (it.seed() == 1L) null else byRun[it] })
        assertThat(partial.toTable().rows[0][8]).isEqualTo("—")
        // A metric the bootstrap does not recompute leaves the column empty, never made up.
        assertThat(Results(spec, runs).pretrainingGain(metric = "f1", testPredictions = { byRun[it] }).exampleBootstraps.single()).isNull()
    }
}
