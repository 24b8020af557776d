package io.dnalab.dsl

import io.dnalab.data.DatasetStatistics
import io.dnalab.data.LoadOptions
import io.dnalab.experiment.Dnalab
import io.dnalab.spec.TaskSpec
import io.dnalab.plots.DatasetCharts
import org.jetbrains.kotlinx.dataframe.DataFrame
import org.jetbrains.kotlinx.dataframe.api.dataFrameOf
import org.jetbrains.letsPlot.Figure
import java.util.Locale

/**
 * Loads [task] through the dataset catalog (built-in tasks, `DNALAB_DATA`, the cache) and
 * computes its statistics: sizes, class balance, lengths, base composition, duplicates and
 * leakage between splits. Renders as tables in a notebook.
 */
fun datasetStatistics(task: TaskSpec, options: LoadOptions = LoadOptions.defaults()): DatasetReport =
    DatasetReport(Dnalab.datasetStatistics(task, options))

/** Statistics of one task, as data frames, tables and charts. */
class DatasetReport(val statistics: DatasetStatistics) {

    /** One row per split. */
    fun toDataFrame(): DataFrame<*> {
        val splits = statistics.splits()
        return dataFrameOf(
            "split" to splits.map { it.split() },
            "size" to splits.map { it.size() },
            "classes" to splits.map { it.classCounts().joinToString(" / ") },
            "majority_fraction" to splits.map { it.majorityClassFraction() },
            "min_length" to splits.map { it.minLength() },
            "median_length" to splits.map { it.medianLength() },
            "max_length" to splits.map { it.maxLength() },
            "gc_fraction" to splits.map { it.composition().gcFraction() },
            "n_fraction" to splits.map { it.composition().nFraction() },
            "duplicates" to splits.map { it.duplicateSequences() },
            "conflicting_duplicates" to splits.map { it.conflictingDuplicates() },
        )
    }

    /** One row per pair of splits compared for leakage. */
    fun leakage(): Table = Table(
        columns = listOf("split", "against", "evaluated", "exact duplicates", "near duplicates"),
        rows = statistics.leakage().pairs().map {
            listOf(it.split(), it.reference(), it.evaluated().toString(), it.exactDuplicates().toString(),
                it.nearDuplicates().toString())
        },
        caption = String.format(
            Locale.ROOT,
            "leakage between splits (near duplicate: ≥ %.0f%% of %d-mers shared)",
            100 * statistics.leakage().nearDuplicateFraction(),
            statistics.leakage().k(),
        ),
    )

    /** Base composition per split, as stacked bars. */
    fun plot(): Figure = DatasetCharts.composition(statistics)

    fun toHtml(): String {
        val notes = (listOf(statistics.protocol()) + statistics.notes()).filter { it.isNotBlank() }
        return toDataFrame().toTable("${statistics.task()}: ${statistics.numClasses()} classes").toHtml() +
            leakage().toHtml() +
            notes.joinToString("") { "<p class=\"dnalab-note\">${escapeHtml(it)}</p>" }
    }
}

/** The sequences of one split (`train`, `dev` or `test`) of [task], loaded through the catalog. */
fun sequences(task: TaskSpec, split: String = "train", options: LoadOptions = LoadOptions.defaults()): List<String> =
    Dnalab.sequences(task, split, options)

/** The local, checksum-verified FASTA file of a catalog genome, e.g. `genomeFile("human_chr20")`. */
fun genomeFile(id: String): String = Dnalab.genomeFile(id).toString()
