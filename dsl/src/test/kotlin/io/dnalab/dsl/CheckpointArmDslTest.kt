package io.dnalab.dsl

import io.dnalab.checkpoint.ModelNotFoundException
import io.dnalab.result.MetricSet
import io.dnalab.result.RunResult
import io.dnalab.spec.ModelSpec
import io.dnalab.spec.PretrainSpec
import io.dnalab.spec.SpecJson
import io.dnalab.spec.TokenizerSpec
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import java.nio.file.Path

/**
 * `pretrain(false, checkpoint(…))` in the DSL, on the runtime's tiny DNABERT-2 fixture (its test
 * resource folder): the cells it adds beside `model(convNova())`, and what the gains table charges
 * a checkpoint arm.
 */
class CheckpointArmDslTest {
    private val fixture: Path =
        Path.of("../runtime-java/src/test/resources/checkpoints/models/dnabert2").toAbsolutePath().normalize()

    @Test
    fun `a checkpoint and its random-init twin sit beside ConvNova from scratch`() {
        val spec = experimentSpec("arms") {
            task(gue("tf_0"))
            model(convNova())
            pretrain(false, checkpoint(fixture.toString()))
            seeds(2)
        }
        val checkpoint = spec.pretraining()[1] as PretrainSpec.Checkpoint
        assertThat(checkpoint.model()).isInstanceOf(ModelSpec.Bert::class.java)
        assertThat(checkpoint.tokenizer()).isEqualTo(TokenizerSpec.FromFile(fixture.resolve("tokenizer.json")))
        assertThat(spec.cells().map { it.label() }).containsExactly(
            "gue/tf_0 · nucleotide · ${convNova().id()} · none",
            "gue/tf_0 · file:tokenizer.json · ${checkpoint.model().id()} · none",
            "gue/tf_0 · file:tokenizer.json · ${checkpoint.model().id()} · checkpoint:dnabert2",
        )
        assertThat(spec.runCount()).isEqualTo(6)
        assertThat(SpecJson.read(SpecJson.write(spec), "test")).isEqualTo(spec)
    }

    @Test
    fun `a checkpoint alone or with its twin needs no model axis and one that is not here fails at once`() {
        val spec = experimentSpec("alone") { task(gue("tf_0")); pretrain(checkpoint(fixture.toString())) }
        assertThat(spec.cells().map { it.pretrain().id() }).containsExactly("checkpoint:dnabert2")
        // The issue's own spelling: false brings the checkpoint's random-init twin, still no model axis.
        val withTwin = experimentSpec("twin") { task(gue("tf_0")); pretrain(false, checkpoint(fixture.toString())) }
        assertThat(withTwin.cells().map { it.pretrain().id() }).containsExactly("none", "checkpoint:dnabert2")
        assertThat(withTwin.cells().map { it.model() }.distinct()).hasSize(1)
        val missing = assertThrows<ModelNotFoundException> { checkpoint(fixture.resolveSibling("absent").toString()) }
        assertThat(missing.message).contains("not found; looked at")
    }

    @Test
    fun `a checkpoint arm's pretraining cost reads not stated, never its fine-tuning time`() {
        val spec = experimentSpec("arms") {
            task(gue("tf_0")); model(convNova()); pretrain(false, checkpoint(fixture.toString())); seeds(2)
        }
        fun run(pretrain: String, seed: Long, mcc: Double) = RunResult(
            "arms", "gue/tf_0", "file:tokenizer.json", "bert", pretrain, seed,
            MetricSet(100, 0.8, mcc, 0.8, 0.9, 0.9, 0.4), MetricSet(100, 0.75, mcc, 0.75, 0.85, 0.86, 0.5),
            1000, 900.0, 3, 30, 2, "PyTorch 2.5.1 cpu(), 1 intra-op threads", -1, Double.NaN, null, null,
        )
        val results = Results(spec, listOf(
            run("none", 1, 0.40), run("none", 2, 0.42),
            run("checkpoint:dnabert2", 1, 0.50), run("checkpoint:dnabert2", 2, 0.55),
        ))
        val table = results.pretrainingGain(testPredictions = null)
        assertThat(table.gains).hasSize(1)
        val row = table.toTable().rows.single()
        assertThat(row.takeLast(3)).containsExactly("not stated", "—", "—")
        assertThat(table.toTable().caption).contains("a public checkpoint is charged the pretraining cost its authors state")
    }

    @Test
    fun `a checkpoint whose authors state its pretraining hardware and time is charged it in device-hours`() {
        val spec = experimentSpec("arms") {
            task(gue("tf_0")); model(convNova()); pretrain(false, checkpoint(fixture.toString())); seeds(2)
        }
        fun run(pretrain: String, seed: Long, mcc: Double) = RunResult(
            "arms", "gue/tf_0", "file:tokenizer.json", "bert", pretrain, seed,
            MetricSet(100, 0.8, mcc, 0.8, 0.9, 0.9, 0.4), MetricSet(100, 0.75, mcc, 0.75, 0.85, 0.86, 0.5),
            1000, 900.0, 3, 30, 2, "PyTorch 2.5.1 cpu(), 1 intra-op threads", -1, Double.NaN, null, null,
        )
        // As the arm of zhihan1996/DNABERT-2-117M is labelled: about 14 days on 8 RTX 2080Ti GPUs.
        val results = Results(spec, listOf(
            run("none", 1, 0.40), run("none", 2, 0.42),
            run("checkpoint:DNABERT-2-117M", 1, 0.50), run("checkpoint:DNABERT-2-117M", 2, 0.55),
        ))
        val gain = results.pretrainingGain(testPredictions = null).gains.single()
        assertThat(gain.cost().deviceHours()).isEqualTo(14.0 * 24 * 8)
        assertThat(gain.cost().hourUnit()).isEqualTo("GPU-hour")
        assertThat(gain.cost().device()).isEqualTo("8 × NVIDIA RTX 2080Ti GPU for 14 days (published)")
        val row = results.pretrainingGain(testPredictions = null).toTable().rows.single()
        // gain 0.115 (mean of 0.10 and 0.13) over 2,688 GPU-hours; no FLOP figure is stated
        assertThat(row.takeLast(3)[0]).isEqualTo("2688.000 GPU-hour")
        assertThat(row.takeLast(3)[1]).startsWith("4.28e-05 / GPU-hour")
        assertThat(row.takeLast(3)[2]).isEqualTo("—")
    }
}
