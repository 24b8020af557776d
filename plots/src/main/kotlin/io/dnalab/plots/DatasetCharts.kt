package io.dnalab.plots

import io.dnalab.data.DatasetStatistics
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.Stat
import org.jetbrains.letsPlot.geom.geomBar
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.themes.themeMinimal

/** Charts of a task's data. */
object DatasetCharts {
    /** Fraction of A, C, G, T and N per split, stacked. */
    fun composition(statistics: DatasetStatistics): Figure {
        val split = mutableListOf<String>()
        val base = mutableListOf<String>()
        val fraction = mutableListOf<Double>()
        for (s in statistics.splits()) {
            val c = s.composition()
            val total = c.total().coerceAtLeast(1).toDouble()
            listOf("A" to c.a(), "C" to c.c(), "G" to c.g(), "T" to c.t(), "N" to c.n()).forEach { (b, n) ->
                split += s.split()
                base += b
                fraction += n / total
            }
        }
        return letsPlot(mapOf("split" to split, "base" to base, "fraction" to fraction)) +
            geomBar(stat = Stat.identity) { x = "split"; y = "fraction"; fill = "base" } +
            labs(title = "${statistics.task()}: base composition per split", x = "", y = "fraction of bases") +
            themeMinimal()
    }
}
