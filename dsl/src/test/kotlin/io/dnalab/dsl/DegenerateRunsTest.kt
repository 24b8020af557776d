package io.dnalab.dsl

import io.dnalab.metrics.Verdict
import io.dnalab.result.MetricSet
import io.dnalab.result.Predictions
import io.dnalab.result.Provenance
import io.dnalab.result.RunResult
import io.dnalab.store.ResultStore
import io.dnalab.store.StoredRun
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.time.Instant

/**
 * How tables show degenerate runs (⚠, "arm collapsed") and how a store's predictions read as a
 * frame. The runtime drives a real run to one class (DegenerateRunExperimentTest); here the flag
 * is given, to check what each table makes of it.
 */
class DegenerateRunsTest {
    private val spec = experimentSpec("collapse") { task(gue("tf_0")); model(convNova()); seeds(3) }

    private fun run(pretrain: String, seed: Long, mcc: Double, degenerate: String? = null) = RunResult(
        "collapse", "gue/tf_0", "nucleotide", "convnova", pretrain, seed,
        MetricSet(100, 0.8, mcc, 0.8, 0.9, 0.9, 0.4),
        MetricSet(100, 0.75, mcc, 0.75, 0.85, 0.86, 0.5),
        100_000, 100.0, 3, 300, 2, "PyTorch 2.5.1 cpu(), 2 intra-op threads", -1, Double.NaN, null, degenerate,
    )

    /** Random init stuck at MCC 0 (one class), pretrained arm at 0.5: a "gain" that is the collapse. */
    private val collapsed = Results(
        spec,
        listOf(
            run("none", 1, 0.0, "test predictions all class 0"),
            run("none", 2, 0.0, "test predictions all class 0; dev MCC <= 0 at all 3 evaluations"),
            run("none", 3, 0.0, "test predictions all class 0"),
            run("mlm", 1, 0.50),
            run("mlm", 2, 0.52),
            run("mlm", 3, 0.51),
        ),
    )

    @Test
    fun `a gain resting on a collapsed arm says arm collapsed, never better`() {
        val gains = collapsed.pretrainingGain()
        val gain = gains.gains.single()
        assertThat(gain.gain().verdict()).`as`("the interval alone would say better").isEqualTo(Verdict.BETTER)
        assertThat(gain.verdict()).isEqualTo(Verdict.ARM_COLLAPSED)
        val table = gains.toTable()
        val row = table.rows.single()
        val verdict = row[table.columns.indexOf("verdict")]
        assertThat(verdict).startsWith("arm collapsed (none seed 1: test predictions all class 0")
        assertThat(row.joinToString(" ")).doesNotContain("better")
        assertThat(row[table.columns.indexOf("gain (mean ± sd)")]).endsWith("$FLAG 3 run(s) collapsed")
        assertThat(table.caption).contains("$FLAG arm collapsed")

        val healthy = Results(spec, collapsed.runs.map { if (it.pretrain() == "none") run("none", it.seed(), 0.3) else it })
        assertThat(healthy.pretrainingGain().toTable().rows.single()).contains("better")
    }

    @Test
    fun `summary and per-run tables put the flag beside the numbers`() {
        val summary = collapsed.summary()
        val none = summary.rows.first { it[3] == "none" }
        val mlm = summary.rows.first { it[3] == "mlm" }
        assertThat(none[summary.columns.indexOf("test MCC")]).endsWith(" $FLAG")
        assertThat(none[summary.columns.indexOf("seeds")]).isEqualTo("3 (3 collapsed)")
        assertThat(mlm[summary.columns.indexOf("test MCC")]).doesNotContain(FLAG)
        assertThat(summary.caption).contains("$FLAG: degenerate runs")

        val perRun = collapsed.perSeed()
        val flags = perRun.rows.map { it[perRun.columns.indexOf("degenerate")] }
        assertThat(flags).containsExactly(
            "$FLAG test predictions all class 0",
            "$FLAG test predictions all class 0; dev MCC <= 0 at all 3 evaluations",
            "$FLAG test predictions all class 0", "", "", "",
        )
    }

    @Test
    fun `a store's predictions read as one row per example per run per split`(@TempDir dir: Path) {
        val file = dir.resolve("results.sqlite")
        val provenance = Provenance.of("cpu()", mapOf(), Instant.parse("2026-11-21T08:00:00Z"), Instant.parse("2026-11-21T08:00:05Z"))
        val dev = Predictions.of("dev", intArrayOf(0, 1), arrayOf(floatArrayOf(0.75f, 0.25f), floatArrayOf(0.5f, 0.5f)))
        val test = Predictions.of("test", intArrayOf(1, 0, 1), arrayOf(floatArrayOf(0.25f, 0.75f), floatArrayOf(0.875f, 0.125f), floatArrayOf(1f, 0f)))
        ResultStore.open(file).use {
            it.record(StoredRun("k1", run("none", 1, 0.0, "test predictions all class 0"), "{}", provenance), listOf(dev, test))
            it.record(StoredRun("k2", run("mlm", 1, 0.5), "{}", provenance)) // recorded without predictions
        }
        val frame = resultStore(file.toString()).predictions()
        assertThat(frame.columnNames()).containsExactly(
            "stage_key", "experiment", "task", "tokenizer", "model", "pretrain", "seed", "degenerate",
            "split", "example", "sequence_id", "label", "predicted", "p_0", "p_1",
        )
        assertThat(frame.rowsCount()).isEqualTo(5)
        assertThat(frame["split"].values().toList()).containsExactly("dev", "dev", "test", "test", "test")
        assertThat(frame["predicted"].values().toList()).containsExactly(0, 0, 1, 0, 0)
        assertThat(frame["p_1"].values().toList()).containsExactly(0.25, 0.5, 0.75, 0.125, 0.0)
        assertThat(frame["degenerate"].values().toSet()).containsExactly("test predictions all class 0")
        assertThat(resultStore(file.toString()).predictions("test").rowsCount()).isEqualTo(3)
        assertThat(resultStore(file.toString()).experiment("nope").predictions().rowsCount()).isZero()
        val bad = assertThrows<IllegalArgumentException> { resultStore(file.toString()).predictions("train") }
        assertThat(bad.message).isEqualTo("split must be dev, test or null (both), got \"train\"")
    }
}
