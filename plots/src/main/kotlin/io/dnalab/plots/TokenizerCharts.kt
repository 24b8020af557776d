package io.dnalab.plots

import io.dnalab.tokenize.TokenizerStatistics
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.Stat
import org.jetbrains.letsPlot.geom.geomBar
import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.scale.scaleXLog10
import org.jetbrains.letsPlot.scale.scaleYLog10
import org.jetbrains.letsPlot.themes.themeMinimal

/** Charts of how a tokenizer cuts a corpus. */
object TokenizerCharts {
    /** Vocabulary entries per token length in bases. */
    fun vocabularyLengths(name: String, statistics: TokenizerStatistics): Figure {
        val lengths = statistics.vocabularyLengths()
        return letsPlot(mapOf("length" to lengths.keys.toList(), "entries" to lengths.values.toList())) +
            geomBar(stat = Stat.identity, fill = "#55A868") { x = "length"; y = "entries" } +
            labs(title = "$name: vocabulary by token length", x = "bases per token", y = "entries") +
            themeMinimal()
    }

    /** Token frequency against rank, both on log scales (a Zipf plot); unused entries left out. */
    fun rankFrequency(name: String, statistics: TokenizerStatistics): Figure {
        val counts = statistics.tokenFrequencies().map { it.count() }.filter { it > 0 }
        return letsPlot(mapOf("rank" to counts.indices.map { it + 1 }, "count" to counts)) +
            geomLine(color = "#4C72B0") { x = "rank"; y = "count" } +
            scaleXLog10() + scaleYLog10() +
            labs(title = "$name: token frequency by rank", x = "rank", y = "occurrences") +
            themeMinimal()
    }
}
