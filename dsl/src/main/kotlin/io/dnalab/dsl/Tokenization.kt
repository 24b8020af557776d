package io.dnalab.dsl

import io.dnalab.experiment.Dnalab
import io.dnalab.spec.TokenizerSpec
import io.dnalab.plots.TokenizerCharts
import io.dnalab.plots.TokenizerComparisonCharts
import io.dnalab.plots.TokenizerOnCorpus
import io.dnalab.tokenize.Tokenizer
import io.dnalab.tokenize.TokenizerStatistics
import org.jetbrains.kotlinx.dataframe.DataFrame
import org.jetbrains.kotlinx.dataframe.api.dataFrameOf
import org.jetbrains.letsPlot.Figure
import java.nio.file.Path
import java.util.Locale

/**
 * Builds the tokenizer [spec] describes: k-mer and nucleotide tokenizers directly, a BPE
 * vocabulary trained on its corpus (catalog genomes such as `human_chr20`, or FASTA paths) or,
 * when it names none, on [sequences].
 */
fun buildTokenizer(spec: TokenizerSpec, sequences: List<String> = emptyList()): Tokenizer =
    Dnalab.buildTokenizer(spec, sequences)

/** How [tokenizer] cuts the sequences of FASTA(.gz) [files]: bases per token, lengths, frequencies. */
fun tokenizerStatisticsOnFasta(name: String, tokenizer: Tokenizer, files: List<String>): TokenizerReport =
    TokenizerReport(name, Dnalab.tokenizerStatisticsOnFasta(tokenizer, files.map { Path.of(it) }))

/** How [tokenizer] cuts [sequences]. */
fun tokenizerStatistics(name: String, tokenizer: Tokenizer, sequences: Iterable<String>): TokenizerReport =
    TokenizerReport(name, Dnalab.tokenizerStatistics(tokenizer, sequences))

/** Statistics of one tokenizer on one corpus, as data frames, tables and charts. */
class TokenizerReport(val name: String, val statistics: TokenizerStatistics) {

    /** Every vocabulary entry with its count, most frequent first. */
    fun frequencies(): DataFrame<*> {
        val rows = statistics.tokenFrequencies()
        return dataFrameOf(
            "id" to rows.map { it.id() },
            "token" to rows.map { it.token() },
            "length" to rows.map { it.length() },
            "count" to rows.map { it.count() },
            "fraction" to rows.map { it.fraction() },
        )
    }

    /** Vocabulary entries by length in bases (special tokens left out). */
    fun vocabularyLengths(): DataFrame<*> {
        val lengths = statistics.vocabularyLengths()
        return dataFrameOf("length" to lengths.keys.toList(), "entries" to lengths.values.toList())
    }

    fun plotVocabularyLengths(): Figure = TokenizerCharts.vocabularyLengths(name, statistics)

    fun plotFrequencies(): Figure = TokenizerCharts.rankFrequency(name, statistics)

    fun summary(): Table = Table(
        columns = listOf("tokenizer", "sequences", "bases", "tokens", "bases / token", "vocabulary", "unused entries"),
        rows = listOf(
            listOf(
                name,
                String.format(Locale.ROOT, "%,d", statistics.sequences()),
                String.format(Locale.ROOT, "%,d", statistics.bases()),
                String.format(Locale.ROOT, "%,d", statistics.tokens()),
                String.format(Locale.ROOT, "%.3f", statistics.basesPerToken()),
                String.format(Locale.ROOT, "%,d", statistics.vocabulary().size()),
                String.format(Locale.ROOT, "%,d", statistics.unusedTokens()),
            ),
        ),
    )

    fun toHtml(): String = summary().toHtml()
}

/**
 * How each of [tokenizers] cuts each of [corpora] (name → sequences): bases per token, vocabulary
 * use, token lengths. Renders as a table; [TokenizerComparison.plot] charts it.
 */
fun compareTokenizers(tokenizers: Map<String, Tokenizer>, corpora: Map<String, Iterable<String>>): TokenizerComparison =
    TokenizerComparison(
        corpora.flatMap { (corpus, sequences) ->
            tokenizers.map { (name, tokenizer) -> TokenizerOnCorpus(name, corpus, Dnalab.tokenizerStatistics(tokenizer, sequences)) }
        },
    )

/** [compareTokenizers] on FASTA(.gz) files: [corpora] maps a corpus name to its files. */
fun compareTokenizersOnFasta(tokenizers: Map<String, Tokenizer>, corpora: Map<String, List<String>>): TokenizerComparison =
    TokenizerComparison(
        corpora.flatMap { (corpus, files) ->
            tokenizers.map { (name, tokenizer) ->
                TokenizerOnCorpus(name, corpus, Dnalab.tokenizerStatisticsOnFasta(tokenizer, files.map { Path.of(it) }))
            }
        },
    )

/** Several tokenizers on several corpora: one row per tokenizer × corpus. */
class TokenizerComparison(val rows: List<TokenizerOnCorpus>) {

    fun toDataFrame(): DataFrame<*> = dataFrameOf(
        "tokenizer" to rows.map { it.tokenizer },
        "corpus" to rows.map { it.corpus },
        "sequences" to rows.map { it.statistics.sequences() },
        "bases" to rows.map { it.statistics.bases() },
        "tokens" to rows.map { it.statistics.tokens() },
        "basesPerToken" to rows.map { it.statistics.basesPerToken() },
        "vocabulary" to rows.map { it.statistics.vocabulary().size() },
        "unusedEntries" to rows.map { it.statistics.unusedTokens() },
    )

    fun summary(): Table = Table(
        columns = listOf("corpus", "tokenizer", "sequences", "bases", "tokens", "bases / token", "vocabulary", "entries used"),
        rows = rows.map {
            val s = it.statistics
            val used = s.vocabulary().size() - s.unusedTokens()
            listOf(
                it.corpus,
                it.tokenizer,
                String.format(Locale.ROOT, "%,d", s.sequences()),
                String.format(Locale.ROOT, "%,d", s.bases()),
                String.format(Locale.ROOT, "%,d", s.tokens()),
                String.format(Locale.ROOT, "%.3f", s.basesPerToken()),
                String.format(Locale.ROOT, "%,d", s.vocabulary().size()),
                String.format(Locale.ROOT, "%,d (%.1f%%)", used, 100.0 * used / s.vocabulary().size()),
            )
        },
        caption = "How each tokenizer cuts each corpus (entries used: vocabulary entries that occur at least once)",
    )

    /** Bases per token, grouped by corpus. */
    fun plot(): Figure = TokenizerComparisonCharts.basesPerToken(rows)

    /** The share of each corpus's tokens by token length, one panel per tokenizer. */
    fun plotTokenLengths(): Figure = TokenizerComparisonCharts.tokenLengths(rows)

    fun toHtml(): String = summary().toHtml()
}
