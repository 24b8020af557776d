package io.dnalab.dsl

import io.dnalab.experiment.Dnalab
import org.jetbrains.kotlinx.dataframe.DataFrame
import org.jetbrains.kotlinx.dataframe.api.dataFrameOf

/**
 * Per-sequence embeddings in a notebook, as `dnalab embed` computes them: one row per sequence
 * (input order) with the sequence, its token count (special tokens included) and the vector as
 * columns `e0` … `e{H-1}`.
 *
 * [model] is a public checkpoint (folder, or hub id such as `zhihan1996/DNABERT-2-117M` in the
 * Hugging Face cache; nothing is downloaded) or one of dnalab's pretraining artifacts (folder, or
 * its key). [pooling]: `mean` averages the layer's states over every token the attention mask
 * admits, special tokens included; `cls` takes position 0. [layer]: 0 is the embedding output,
 * the default the last layer.
 *
 * ```kotlin
 * val vectors = embed("zhihan1996/DNABERT-2-117M", sequences("tf_0", "test"))
 * ```
 */
fun embed(
    model: String,
    sequences: List<String>,
    pooling: String = "mean",
    layer: Int = -1,
    batchSize: Int = 32,
): DataFrame<*> {
    requirePooled(pooling)
    val embeddings = Dnalab.embed(model, sequences, pooling, layer, batchSize)
    return embeddingFrame(sequences, embeddings.pooled(), embeddings.lengths())
}

/** [embed] with the encoder a finished pretraining stage of an experiment trained. */
fun embed(
    pretraining: PretrainingRun,
    sequences: List<String>,
    pooling: String = "mean",
    layer: Int = -1,
    batchSize: Int = 32,
): DataFrame<*> {
    requirePooled(pooling)
    val embeddings = Dnalab.embed(
        Dnalab.Pretraining(pretraining.cell, pretraining.folder, pretraining.result),
        sequences, pooling, layer, batchSize,
    )
    return embeddingFrame(sequences, embeddings.pooled(), embeddings.lengths())
}

/**
 * Every token's states, without pooling: for sequence i an array of (tokens_i, H), special
 * tokens included. For numpy's (N, L, H) layout use `dnalab embed --pooling none`.
 */
fun tokenStates(model: String, sequences: List<String>, layer: Int = -1, batchSize: Int = 32): List<Array<FloatArray>> =
    Dnalab.embed(model, sequences, "none", layer, batchSize).states().toList()

/** The (N, H) matrix of [embed], for libraries that take arrays (PCA, UMAP, a classifier). */
fun embeddingMatrix(
    model: String,
    sequences: List<String>,
    pooling: String = "mean",
    layer: Int = -1,
    batchSize: Int = 32,
): Array<FloatArray> {
    requirePooled(pooling)
    return Dnalab.embed(model, sequences, pooling, layer, batchSize).pooled()
}

private fun requirePooled(pooling: String) {
    require(pooling == "mean" || pooling == "cls") {
        "pooling must be mean or cls for one vector per sequence, got \"$pooling\" (every token's states: tokenStates(...))"
    }
}

/** Columns sequence, tokens, e0 … e{H-1}; [pooled] (N, H) in the order of [sequences]. */
private fun embeddingFrame(sequences: List<String>, pooled: Array<FloatArray>, tokens: LongArray): DataFrame<*> {
    val hidden = pooled.firstOrNull()?.size ?: 0
    val columns = mutableListOf<Pair<String, List<Any?>>>(
        "sequence" to sequences,
        "tokens" to tokens.toList(),
    )
    for (c in 0 until hidden) {
        columns += "e$c" to pooled.map { it[c] }
    }
    return dataFrameOf(*columns.toTypedArray())
}
