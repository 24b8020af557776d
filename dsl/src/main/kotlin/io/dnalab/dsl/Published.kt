package io.dnalab.dsl

import io.dnalab.data.PublishedResult
import io.dnalab.metrics.Interval
import io.dnalab.metrics.MeanIntervals
import org.jetbrains.kotlinx.dataframe.DataFrame
import org.jetbrains.kotlinx.dataframe.api.dataFrameOf
import java.util.Locale

/** Published GUE test MCC (DNABERT-2 paper, Table 4) as a data frame: model, task, mcc, source. */
fun publishedGue(): DataFrame<*> = PublishedResult.gue().toDataFrame()

/** Published results as a data frame: model, task, mcc, source. */
fun List<PublishedResult>.toDataFrame(): DataFrame<*> = dataFrameOf(
    "model" to map { it.model() },
    "task" to map { it.task() },
    "mcc" to map { it.mcc() },
    "source" to map { it.source() },
)

/**
 * GUE cells next to the published test MCC on the same task (DNABERT-2, DNABERT 6-mer, NT
 * 2.5B multi-species; DNABERT-2 paper, Table 4): ours as mean × 100 with the 95% interval.
 * The published models were pretrained for days on GPUs and fine-tuned on the full training
 * split; the caption says so, since these runs usually are neither. `plot(results).againstPublished()`
 * draws it.
 */
fun Results.againstPublished(): Table {
    val published = PublishedResult.gue()
    val models = published.map { it.model() }.distinct()
    val rows = ourGueCells().map { (cell, interval) ->
        listOf(cell.task, cell.label, String.format(Locale.ROOT, "%.1f [%.1f, %.1f]", interval.estimate() * 100,
            interval.low() * 100, interval.high() * 100)) +
            models.map { model ->
                published.firstOrNull { it.model() == model && it.task() == cell.task }
                    ?.let { String.format(Locale.ROOT, "%.2f", it.mcc()) } ?: "—"
            }
    }
    return Table(
        columns = listOf("task", "these runs (tokenizer · model · pretraining)", "test MCC × 100 [95% CI]") +
            models.map { "$it (published)" },
        rows = rows,
        caption = "${spec.name()}: against published GUE results (full training splits, days of GPU pretraining)",
    )
}

/** One GUE cell of these runs: the task without its `gue/` prefix, and tokenizer · model · pretraining. */
internal data class GueCell(val task: String, val label: String)

/** Every GUE cell of these runs with the interval of its mean test MCC. */
internal fun Results.ourGueCells(): List<Pair<GueCell, Interval>> =
    runs.filter { it.task().startsWith("gue/") && it.test().get("mcc").isFinite() }
        .groupBy { GueCell(it.task().removePrefix("gue/"), "${it.tokenizer()} · ${it.model()} · ${it.pretrain()}") }
        .map { (cell, group) -> cell to MeanIntervals.of(*group.map { it.test().get("mcc") }.toDoubleArray()) }
