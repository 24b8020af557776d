package io.dnalab.plots

import io.dnalab.metrics.BaseComposition
import io.dnalab.metrics.PrincipalComponents
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.geom.geomPoint
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.scale.scaleColorGradient
import org.jetbrains.letsPlot.themes.themeMinimal
import java.util.Locale

/**
 * Pictures of learned token embeddings, as the RandomMask paper's figure of tokens coloured by
 * base composition. The projection is PCA: deterministic, and distances along its axes mean
 * something. The paper shows t-SNE, which separates local clusters better, but no JVM t-SNE fits
 * here: Smile's is GPL, and T-SNE-Java (lejon, BSD-style) is not on Maven Central
 * (`com.github.lejon.T-SNE-Java:tsne:v2.6.3` does not resolve there, checked 2026-11-21; it is
 * published through JitPack). Every chart title says "PCA" so no one reads it as t-SNE.
 */
object EmbeddingCharts {
    /**
     * The first two principal components of [embeddings] (one row per token, (V, D)), one dot per
     * DNA token coloured by its GC fraction; tokens that are not DNA (`[CLS]`, `[PAD]`, …) are
     * left out of the picture, not of the PCA fit. The axis titles give each component's share
     * of the variance.
     */
    fun tokenProjection(embeddings: Array<FloatArray>, tokens: List<String>, name: String = "token embeddings"): Figure {
        require(embeddings.size == tokens.size) {
            "${embeddings.size} embedding rows but ${tokens.size} tokens: one row per token"
        }
        val projection = PrincipalComponents.project(embeddings, 2)
        val gc = tokens.map { BaseComposition.gcFraction(it) }
        val shown = tokens.indices.filter { !gc[it].isNaN() }
        require(shown.isNotEmpty()) { "no DNA token among ${tokens.size} tokens" }
        val data = mapOf(
            "pc1" to shown.map { projection.coordinates()[it][0] },
            "pc2" to shown.map { projection.coordinates()[it][1] },
            "gc" to shown.map { gc[it] },
            "token" to shown.map { tokens[it] },
        )
        val ratio = projection.explainedVarianceRatio()
        return letsPlot(data) +
            geomPoint(size = 2.5, alpha = 0.8) { x = "pc1"; y = "pc2"; color = "gc" } +
            scaleColorGradient(low = "#4C72B0", high = "#DD8452", name = "GC fraction", limits = 0.0 to 1.0) +
            labs(
                title = "$name: PCA projection, coloured by GC fraction (${shown.size} tokens)",
                x = "PC1 (${percent(ratio[0])} of variance)",
                y = "PC2 (${percent(ratio[1])} of variance)",
            ) +
            themeMinimal()
    }

    private fun percent(share: Double) = String.format(Locale.ROOT, "%.1f%%", 100 * share)
}
