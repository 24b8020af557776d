package io.dnalab.dsl

import io.dnalab.experiment.Dnalab
import io.dnalab.result.RunColumns
import io.dnalab.result.RunResult
import io.dnalab.result.SequencePredictions
import io.dnalab.store.StoredRun
import org.jetbrains.kotlinx.dataframe.DataFrame
import org.jetbrains.kotlinx.dataframe.api.dataFrameOf
import java.nio.file.Path

/**
 * A frame of [rows] with one column per run-schema column ([RunColumns]: its name, its value, null
 * where not measured), then [extra] columns.
 */
fun <S> frameOf(columns: List<RunColumns.Column<S>>, rows: List<S>, vararg extra: Pair<String, List<Any?>>): DataFrame<*> =
    dataFrameOf(*(columns.map { column -> column.name() to rows.map { column.value().apply(it) } } + extra).toTypedArray())

/** One row per run: cell, seed, dev and test metrics and cost, as [RunColumns.RESULT] defines them. */
fun runsFrame(runs: List<RunResult>): DataFrame<*> = frameOf(RunColumns.RESULT, runs)

/**
 * The finished runs of a result store (by default the one `experiment { }` writes:
 * `$DNALAB_RESULTS`, else `results.sqlite` in the cache folder), read when this is called.
 */
fun resultStore(file: String? = null): StoredResults {
    val path = if (file == null) Dnalab.defaultResultStore() else Path.of(file)
    return StoredResults(path, Dnalab.storedRuns(path))
}

/** Rows of a result store: every run with its metrics, cost and provenance. */
class StoredResults(val file: Path, val runs: List<StoredRun>) {

    /** Only the runs recorded under [name]. */
    fun experiment(name: String): StoredResults = StoredResults(file, runs.filter { it.result().experiment() == name })

    /**
     * One row per run, with the store's columns ([Dnalab.storedRunColumns]: key, identity, code
     * versions, cell, seed, dev and test metrics, cost, where and when it ran) and `stale`: what
     * changed since the code that made the run ([Dnalab.staleness]), null for a current run.
     * A stale run is kept and readable; `experiment { }` does not reuse it.
     */
    fun toDataFrame(): DataFrame<*> = frameOf(
        Dnalab.storedRunColumns(), runs,
        "stale" to runs.map { run -> Dnalab.staleness(run).joinToString(", ").ifEmpty { null } },
    )

    /**
     * One row per example per run per split ([split]: `"dev"`, `"test"`, or null for both), as
     * `dnalab results --predictions` writes them: `stage_key`, the cell, `seed`, `degenerate`,
     * `split`, `example`, `sequence_id`, `label`, `predicted`, `p_0` … `p_(K-1)` (null where a run
     * has fewer classes). Runs recorded before predictions were kept have no rows.
     */
    fun predictions(split: String? = null): DataFrame<*> {
        require(split == null || split == "dev" || split == "test") { "split must be dev, test or null (both), got \"$split\"" }
        val columns = Dnalab.predictionColumns(file, runs, split)
        return dataFrameOf(*columns.map { (name, values) -> name to values.toList() }.toTypedArray())
    }

    /** Writes every run as CSV, as `dnalab results --csv` does. */
    fun exportCsv(csv: String) = Dnalab.exportCsv(file, runs, Path.of(csv))

    fun toHtml(): String = toDataFrame().toTable("${runs.size} runs in $file").toHtml()

    override fun toString(): String = "${runs.size} runs in $file"
}

/**
 * Scores the sequences of [input] (FASTA, or CSV/TSV with a `sequence` and an optional `id`
 * column) with the model that run [runKey] kept (`finetune { saveModel() }`; the key, or enough
 * of its first characters), as `dnalab predict` does; [batchSize] 0 is the run's own. [store] is
 * the result store the run is in (default as [resultStore]'s).
 */
fun predict(runKey: String, input: String, batchSize: Int = 0, store: String? = null): DataFrame<*> =
    Dnalab.predict(runKey, Path.of(input), batchSize, storePath(store)).toDataFrame()

/** As above, for [sequences] in memory, named by [ids] (default: their index). */
fun predict(runKey: String, sequences: List<String>, ids: List<String>? = null, batchSize: Int = 0, store: String? = null): DataFrame<*> =
    Dnalab.predict(runKey, ids ?: sequences.indices.map { it.toString() }, sequences, batchSize, storePath(store)).toDataFrame()

private fun storePath(store: String?): Path = if (store == null) Dnalab.defaultResultStore() else Path.of(store)

/**
 * One row per sequence, in input order: `id`, `length`, `predicted` (the class name),
 * `p_<class>` per class; the columns of `dnalab predict`'s CSV.
 */
fun SequencePredictions.toDataFrame(): DataFrame<*> {
    val header = header()
    val columns = mutableListOf<Pair<String, List<Any?>>>(
        header[0] to ids(),
        header[1] to lengths().toList(),
        header[2] to predicted().map { classes()[it] },
    )
    classes().indices.forEach { k -> columns += header[3 + k] to probabilities().map { it[k] } }
    return dataFrameOf(*columns.toTypedArray())
}
