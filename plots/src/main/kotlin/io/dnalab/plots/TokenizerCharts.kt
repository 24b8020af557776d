package io.dnalab.plots

import io.dnalab.tokenize.TokenizerStatistics
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.Stat
import org.jetbrains.letsPlot.geom.geomBar
import org.jetbrains.letsPlot.facet.facetWrap
import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.pos.positionDodge
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

/** One tokenizer on one corpus, the unit of [TokenizerComparisonCharts]. */
data class TokenizerOnCorpus(val tokenizer: String, val corpus: String, val statistics: TokenizerStatistics)

/** Charts comparing several tokenizers on several corpora. */
object TokenizerComparisonCharts {
    /** Bases per token, bars grouped by corpus: how much each tokenizer compresses each genome. */
    fun basesPerToken(rows: List<TokenizerOnCorpus>): Figure {
        val data = mapOf(
            "tokenizer" to rows.map { it.tokenizer },
            "corpus" to rows.map { it.corpus },
            "bases per token" to rows.map { it.statistics.basesPerToken() },
        )
        return letsPlot(data) +
            geomBar(stat = Stat.identity, position = positionDodge(0.8), width = 0.75) {
                x = "tokenizer"; y = "bases per token"; fill = "corpus"
            } +
            labs(title = "Bases per token by tokenizer and corpus", x = "tokenizer", y = "bases per token") +
            themeMinimal()
    }

    /**
     * The share of a corpus's tokens at each token length (in bases): where a learned vocabulary
     * spends its entries on real sequence, one panel per tokenizer.
     */
    fun tokenLengths(rows: List<TokenizerOnCorpus>): Figure {
        val tokenizer = mutableListOf<String>()
        val corpus = mutableListOf<String>()
        val length = mutableListOf<Int>()
        val share = mutableListOf<Double>()
        rows.forEach { row ->
            val lengths = row.statistics.tokenLengthsInCorpus()
            val total = lengths.values.sum().toDouble().coerceAtLeast(1.0)
            lengths.forEach { (bases, count) ->
                tokenizer += row.tokenizer; corpus += row.corpus; length += bases; share += count / total
            }
        }
        val data = mapOf("tokenizer" to tokenizer, "corpus" to corpus, "length" to length, "share" to share)
        return letsPlot(data) +
            geomLine { x = "length"; y = "share"; color = "corpus" } +
            geomPoint(size = 1.5) { x = "length"; y = "share"; color = "corpus" } +
            facetWrap(facets = "tokenizer", ncol = 2) +
            labs(title = "Share of tokens by token length", x = "bases per token", y = "share of the corpus's tokens") +
            themeMinimal()
    }
}
