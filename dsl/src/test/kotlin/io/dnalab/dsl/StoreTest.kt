package io.dnalab.dsl

import io.dnalab.experiment.CodeVersions
import io.dnalab.result.MetricSet
import io.dnalab.result.Provenance
import io.dnalab.result.RunColumns
import io.dnalab.result.RunResult
import io.dnalab.store.ResultStore
import io.dnalab.store.StoredRun
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Instant

class StoreTest {
    private fun result(seed: Long) = RunResult(
        "frames", "gue/tf_0", "nucleotide", "convnova-d16-k5", "none", seed,
        MetricSet(100, 0.8, 0.6, 0.8, 0.9, 0.9, 0.4),
        MetricSet(100, 0.75, 0.5, 0.75, Double.NaN, 0.86, 0.5),
        12_345, 5.0, 1, 10, 1, "PyTorch 2.5.1 cpu()",
    )

    private val provenance = Provenance.of("PyTorch 2.5.1 cpu()", mapOf(), Instant.parse("2026-11-21T08:00:00Z"), Instant.parse("2026-11-21T08:00:05Z"))

    @Test
    fun `a saved model's predictions are a frame with the predict CSV's columns`() {
        val predictions = io.dnalab.result.SequencePredictions.of(
            "ab12", listOf("0", "1"), listOf("seq_a", "seq_b"), listOf("ACGT", "ACGTAC"),
            arrayOf(floatArrayOf(0.25f, 0.75f), floatArrayOf(0.875f, 0.125f)),
        )
        val frame = predictions.toDataFrame()
        assertThat(frame.columnNames()).containsExactly("id", "length", "predicted", "p_0", "p_1")
        assertThat(frame["id"].values().toList()).containsExactly("seq_a", "seq_b")
        assertThat(frame["length"].values().toList()).containsExactly(4, 6)
        assertThat(frame["predicted"].values().toList()).containsExactly("1", "0")
        assertThat(frame["p_1"].values().toList()).containsExactly(0.75f, 0.125f)
    }

    @Test
    fun `frames of runs have the run schema's columns`() {
        val frame = runsFrame(listOf(result(1), result(2)))
        assertThat(frame.columnNames()).isEqualTo(RunColumns.RESULT.map { it.name() })
        assertThat(frame.rowsCount()).isEqualTo(2)
        assertThat(frame["seed"].values().toList()).containsExactly(1L, 2L)
        assertThat(frame["test_auroc"].values().toList()).`as`("undefined AUROC is missing, not NaN").containsExactly(null, null)
    }

    @Test
    fun `a stored run of older code reads back marked stale`(@TempDir dir: Path) {
        val file = dir.resolve("results.sqlite")
        val current = mapOf("model:convnova" to CodeVersions.model(io.dnalab.spec.ModelSpec.ConvNova(16, 5, 2, 4, 2, false)), "tokenizer:nucleotide" to 1, "trainer" to CodeVersions.trainer())
        ResultStore.open(file).use {
            // written as dnalab 0.1 wrote it: no code versions
            it.record(StoredRun("old", result(1), "{}", provenance))
            it.record(StoredRun("new", "old", current, result(1), "{}", provenance))
        }
        val frame = resultStore(file.toString()).toDataFrame()
        assertThat(frame.columnNames()).isEqualTo(ResultStore.csvColumns().map { it.name() } + "stale")
        assertThat(frame["stage_key"].values().toList()).containsExactly("old", "new")
        assertThat(frame["stale"].values().toList()).containsExactly("made by dnalab 0.1, before code versions", null)
        assertThat(frame["code_versions"].values().toList()[0]).isNull()
    }
}
