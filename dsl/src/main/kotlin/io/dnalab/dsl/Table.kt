package io.dnalab.dsl

import io.dnalab.experiment.Dnalab
import io.dnalab.spec.ExperimentSpec
import org.jetbrains.kotlinx.dataframe.DataFrame
import org.jetbrains.kotlinx.dataframe.api.rows
import java.util.Locale

/**
 * A rendered-ready table: header and rows of text. Renders as plain, static HTML (no script), so
 * a report reads the same offline, in a browser with scripts disabled, and in a diff.
 */
class Table(
    val columns: List<String>,
    val rows: List<List<String>>,
    val caption: String? = null,
) {
    init {
        rows.forEachIndexed { i, row ->
            require(row.size == columns.size) {
                "row $i has ${row.size} cells but the table has ${columns.size} columns ($columns)"
            }
        }
    }

    /** The table as an HTML fragment with its own scoped style. */
    fun toHtml(): String = buildString {
        append(STYLE)
        append("<table class=\"dnalab-table\">")
        caption?.let { append("<caption>").append(escapeHtml(it)).append("</caption>") }
        append("<thead><tr>")
        columns.forEach { append("<th>").append(escapeHtml(it)).append("</th>") }
        append("</tr></thead><tbody>")
        rows.forEach { row ->
            append("<tr>")
            row.forEach { append("<td>").append(escapeHtml(it)).append("</td>") }
            append("</tr>")
        }
        append("</tbody></table>")
    }

    /** Tab-separated text, for logs and plain-text outputs. */
    override fun toString(): String = buildString {
        caption?.let { appendLine(it) }
        appendLine(columns.joinToString("\t"))
        rows.forEach { appendLine(it.joinToString("\t")) }
    }

    companion object {
        private const val STYLE = "<style>" +
            ".dnalab-table{border-collapse:collapse;font:13px/1.4 system-ui,sans-serif;margin:.5em 0}" +
            ".dnalab-table caption{text-align:left;font-weight:600;padding:.3em 0}" +
            ".dnalab-table th,.dnalab-table td{border:1px solid #ccc;padding:.25em .6em;text-align:left}" +
            ".dnalab-table th{background:#f3f3f3}" +
            ".dnalab-table tbody tr:nth-child(even){background:#fafafa}" +
            "</style>"
    }
}

/**
 * The mark beside the numbers of a degenerate run, or of a cell or gain resting on one
 * (`RunResult.degenerate`: test predictions all one class, or dev MCC ≤ 0 at every evaluation).
 */
const val FLAG = "⚠"

/** Formats a cell value the same way everywhere: numbers with fixed precision, nulls as blank. */
fun formatCell(value: Any?): String = when (value) {
    null -> ""
    is Double -> if (value.isNaN()) "NaN" else String.format(Locale.ROOT, "%.4f", value)
    is Float -> formatCell(value.toDouble())
    else -> value.toString()
}

/** Any Kotlin DataFrame as a static table. */
fun DataFrame<*>.toTable(caption: String? = null): Table {
    // A run's degenerate flag reads as ⚠ and why, beside its numbers.
    val flagColumn = columnNames().indexOf("degenerate")
    return Table(
        columns = columnNames(),
        rows = rows().map { row ->
            row.values().mapIndexed { i, value ->
                if (i == flagColumn && value != null) "$FLAG $value" else formatCell(value)
            }
        },
        caption = caption,
    )
}

/**
 * The plan of an experiment: one row per cell of the grid, with the runs it asks for and the
 * fine-tuning recipe it uses (name, lr, schedule, epochs, batch).
 */
fun ExperimentSpec.toTable(): Table = Table(
    columns = listOf("#", "task", "tokenizer", "model", "pretraining", "seeds", "recipe"),
    rows = cells().mapIndexed { i, cell ->
        listOf(
            (i + 1).toString(),
            cell.task().id(),
            cell.tokenizer().id(),
            cell.model().id(),
            cell.pretrain().id(),
            seeds().toString(),
            Dnalab.recipe(this, cell).describe(cell.tokenizer()),
        )
    },
    caption = "${name()}: ${cells().size} cells × ${seeds()} seeds = ${runCount()} runs",
)

/**
 * The spec's table followed by its plan against the default stores (stages of each kind, which
 * are done, the time left); when the plan cannot be made (e.g. data missing), the reason instead.
 */
fun ExperimentSpec.toPlanHtml(): String {
    val planLine = try {
        val plan = plan()
        val kinds = plan.counts().entries.joinToString("") { (kind, counts) ->
            "<tr><td>${escapeHtml(kind.title())}</td><td>${counts[0]}</td><td>${counts[1]}</td><td>${counts[0] - counts[1]}</td></tr>"
        }
        "<table class=\"dnalab-table dnalab-plan\"><caption>plan: ${escapeHtml(plan.remainingText().let { if (plan.allDone()) "every stage done, nothing to run" else it })}</caption>" +
            "<thead><tr><th>stage</th><th>stages</th><th>done</th><th>to run</th></tr></thead><tbody>$kinds</tbody></table>"
    } catch (e: RuntimeException) {
        "<p class=\"dnalab-plan\">plan not available: ${escapeHtml(e.message ?: e.toString())}</p>"
    }
    return toTable().toHtml() + planLine
}

internal fun escapeHtml(text: String): String = buildString(text.length) {
    text.forEach { c ->
        when (c) {
            '<' -> append("&lt;")
            '>' -> append("&gt;")
            '&' -> append("&amp;")
            '"' -> append("&quot;")
            '\'' -> append("&#39;")
            else -> append(c)
        }
    }
}
