package io.dnalab.dsl

import io.dnalab.plots.FigureExport
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

class TokenizerComparisonTest {
    private val comparison = compareTokenizers(
        mapOf(
            "nucleotide" to buildTokenizer(nucleotide()),
            "6-mer NT" to buildTokenizer(kmer(6, overlapping = false)),
        ),
        mapOf("toy" to listOf("ACGTACGTACGTA", "ACGTAC")),
    )

    @Test
    fun `one row per corpus and tokenizer with bases per token`() {
        val rows = comparison.summary().rows
        assertThat(rows).hasSize(2)
        // 19 bases: nucleotide 19 tokens; 6-mers: 13 -> 2 + 1 leftover, 6 -> 1, so 4 tokens.
        assertThat(rows[0]).startsWith("toy", "nucleotide", "2", "19", "19", "1.000")
        assertThat(rows[1]).startsWith("toy", "6-mer NT", "2", "19", "4", "4.750")
        assertThat(comparison.toDataFrame().rowsCount()).isEqualTo(2)
    }

    @Test
    fun `both charts render as svg`() {
        assertThat(FigureExport.svg(comparison.plot())).contains("<svg", "Bases per token by tokenizer and corpus")
        assertThat(FigureExport.svg(comparison.plotTokenLengths())).contains("<svg", "Share of tokens by token length")
    }
}
