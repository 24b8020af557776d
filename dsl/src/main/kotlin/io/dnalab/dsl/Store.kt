package io.dnalab.dsl

import io.dnalab.store.ResultStore
import io.dnalab.store.StoredRun
import org.jetbrains.kotlinx.dataframe.DataFrame
import org.jetbrains.kotlinx.dataframe.api.dataFrameOf
import java.nio.file.Path

/**
 * The finished runs of a result store (by default the one `experiment { }` writes:
 * `$DNALAB_RESULTS`, else `results.sqlite` in the cache folder), read when this is called.
 */
fun resultStore(file: String? = null): StoredResults {
    val path = if (file == null) ResultStore.defaultLocation() else Path.of(file)
    return ResultStore.open(path).use { StoredResults(path, it.all()) }
}

/** Rows of a result store: every run with its metrics, cost and provenance. */
class StoredResults(val file: Path, val runs: List<StoredRun>) {

    /** Only the runs recorded under [name]. */
    fun experiment(name: String): StoredResults = StoredResults(file, runs.filter { it.result().experiment() == name })

    /** One row per run: cell, seed, test and dev metrics, cost, and where and when it ran. */
    fun toDataFrame(): DataFrame<*> = dataFrameOf(
        "experiment" to runs.map { it.result().experiment() },
        "task" to runs.map { it.result().task() },
        "tokenizer" to runs.map { it.result().tokenizer() },
        "model" to runs.map { it.result().model() },
        "pretrain" to runs.map { it.result().pretrain() },
        "seed" to runs.map { it.result().seed() },
        "test_mcc" to runs.map { it.result().test().mcc() },
        "test_accuracy" to runs.map { it.result().test().accuracy() },
        "test_auroc" to runs.map { it.result().test().auroc() },
        "dev_mcc" to runs.map { it.result().dev().mcc() },
        "parameters" to runs.map { it.result().parameters() },
        "wall_seconds" to runs.map { it.result().wallSeconds() },
        "device" to runs.map { it.result().device() },
        "git_commit" to runs.map { it.provenance().gitCommit() },
        "host" to runs.map { it.provenance().host() },
        "finished_at" to runs.map { it.provenance().finishedAt().toString() },
        "stage_key" to runs.map { it.key() },
    )

    /** Writes every run as CSV (see [ResultStore.exportCsv]). */
    fun exportCsv(csv: String) = ResultStore.open(file).use { it.exportCsv(runs, Path.of(csv)) }

    fun toHtml(): String = toDataFrame().toTable("${runs.size} runs in $file").toHtml()

    override fun toString(): String = "${runs.size} runs in $file"
}
