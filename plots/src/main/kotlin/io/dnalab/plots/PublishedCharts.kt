package io.dnalab.plots

import io.dnalab.data.PublishedResult
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.Stat
import org.jetbrains.letsPlot.coord.coordFlip
import org.jetbrains.letsPlot.geom.geomBar
import org.jetbrains.letsPlot.pos.positionDodge
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.geom.geomErrorBar
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

/** One of our cells on one task: mean test metric with its 95% interval (× 100 for MCC). */
data class OurResult(val task: String, val label: String, val mean: Double, val low: Double, val high: Double)

/** Our cells next to the published numbers on the same tasks. */
object AgainstPublishedCharts {
    /**
     * Per task: each of our cells as a point with its 95% interval, each published model as a
     * hollow diamond, all on one MCC (× 100) axis.
     */
    fun mcc(ours: List<OurResult>, published: List<PublishedResult>): Figure {
        val tasks = ours.map { it.task }.toSet()
        val reference = published.filter { it.task() in tasks }
        val oursData = mapOf(
            "task" to ours.map { it.task },
            "source" to ours.map { it.label },
            "mcc" to ours.map { it.mean },
            "low" to ours.map { it.low },
            "high" to ours.map { it.high },
        )
        val publishedData = mapOf(
            "task" to reference.map { it.task() },
            "source" to reference.map { "${it.model()} (published)" },
            "mcc" to reference.map { it.mcc() },
        )
        return letsPlot() +
            geomErrorBar(data = oursData, width = 0.2, position = positionDodge(0.6)) {
                x = "task"; ymin = "low"; ymax = "high"; color = "source"
            } +
            geomPoint(data = oursData, size = 3.0, position = positionDodge(0.6)) { x = "task"; y = "mcc"; color = "source" } +
            geomPoint(data = publishedData, size = 4.0, shape = 5) { x = "task"; y = "mcc"; color = "source" } +
            labs(title = "Test MCC (× 100): these runs (95% CI) and published results", x = "task", y = "MCC × 100") +
            themeMinimal()
    }
}
