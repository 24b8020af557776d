package io.dnalab.dsl

import io.dnalab.result.MetricSet
import io.dnalab.result.Predictions
import io.dnalab.result.Provenance
import io.dnalab.result.RunResult
import io.dnalab.store.ResultStore
import io.dnalab.store.StoredRun
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Instant

/**
 * The gains table's bootstrap over test examples is filled from the test predictions the result
 * store keeps for each run (found by the runs' stage keys), and stays "—" where the runs' keys
 * are unknown. The store is a real one, in a temporary cache folder.
 */
class StoredPredictionsGainTest {
    @TempDir
    lateinit var dir: Path

    private val spec = experimentSpec("stored") { task(gue("tf_0")); model(convNova()); seeds(3) }
    private val labels = IntArray(40) { it % 2 }

    /** The first [correct] of 40 test examples predicted right, the rest wrong. */
    private fun predictions(correct: Int) = Predictions.of("test", labels, Array(40) { i ->
        val predicted = if (i < correct) labels[i] else 1 - labels[i]
        floatArrayOf(if (predicted == 0) 0.9f else 0.1f, if (predicted == 1) 0.9f else 0.1f)
    })

    private fun run(pretrain: String, seed: Long, mcc: Double) = RunResult(
        "stored", "gue/tf_0", "nucleotide", "convnova", pretrain, seed,
        MetricSet(40, 0.8, mcc, 0.8, 0.9, 0.9, 0.4), MetricSet(40, 0.75, mcc, 0.75, 0.85, 0.86, 0.5),
        1_000, 1.0, 1, 10, 1, "cpu()", -1, Double.NaN, if (pretrain == "none") null else 0L, null,
    )

    @Test
    fun `the bootstrap column reads each run's stored test predictions`() {
        val previous = System.getProperty("dnalab.cache")
        System.setProperty("dnalab.cache", dir.toString())
        try {
            val runs = (1L..3L).map { run("none", it, 0.2) } + (1L..3L).map { run("mlm", it, 0.6) }
            val keys = runs.indices.map { "key$it" }
            ResultStore.openDefault().use { store ->
                runs.forEachIndexed { i, run ->
                    val start = Instant.parse("2026-12-01T00:00:00Z")
                    store.record(
                        StoredRun(keys[i], run, "{}", Provenance.of("cpu()", mapOf(), start, start.plusSeconds(1))),
                        listOf(predictions(if (run.pretrain() == "none") 24 else 32)),
                    )
                }
            }
            val column = "bootstrap Δ over test examples [lo, hi]"
            val withKeys = Results(spec, runs, emptyList(), keys).pretrainingGain().toTable()
            val cell = withKeys.rows.single()[withKeys.columns.indexOf(column)]
            // 32 vs 24 of 40 right in every pair: the difference is positive wherever resampled.
            assertThat(cell).isNotEqualTo("—").matches(".*\\[0\\.\\d+, 0\\.\\d+\\].*")
            val withoutKeys = Results(spec, runs).pretrainingGain().toTable()
            assertThat(withoutKeys.rows.single()[withoutKeys.columns.indexOf(column)]).isEqualTo("—")
        } finally {
            if (previous == null) System.clearProperty("dnalab.cache") else System.setProperty("dnalab.cache", previous)
        }
    }
}
