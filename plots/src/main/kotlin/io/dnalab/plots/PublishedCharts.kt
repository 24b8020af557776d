package io.dnalab.plots

import io.dnalab.data.PublishedResult
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.Stat
import org.jetbrains.letsPlot.coord.coordFlip
import org.jetbrains.letsPlot.geom.geomBar
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.themes.themeMinimal

/** Charts of published reference numbers, the yardstick a report measures itself against. */
object PublishedCharts {
    /** Published test MCC per task for one [model] (DNABERT-2 by default), as horizontal bars. */
    fun mccByTask(results: List<PublishedResult>, model: String = "DNABERT-2"): Figure {
        val rows = results.filter { it.model() == model }
        require(rows.isNotEmpty()) {
            "no published results for model '$model'; known: ${results.map { it.model() }.distinct()}"
        }
        val data = mapOf(
            "task" to rows.map { it.task() },
            "mcc" to rows.map { it.mcc() },
        )
        return letsPlot(data) +
            geomBar(stat = Stat.identity, fill = "#4C72B0") { x = "task"; y = "mcc" } +
            coordFlip() +
            labs(title = "$model, published test MCC (× 100)", x = "", y = "MCC") +
            themeMinimal()
    }
}
