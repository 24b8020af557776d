package io.dnalab.plots

import io.dnalab.metrics.LearningCurvePoint
import org.jetbrains.letsPlot.Figure
import org.jetbrains.letsPlot.facet.facetWrap
import org.jetbrains.letsPlot.geom.geomHLine
import org.jetbrains.letsPlot.geom.geomLine
import org.jetbrains.letsPlot.label.labs
import org.jetbrains.letsPlot.letsPlot
import org.jetbrains.letsPlot.themes.themeMinimal

/**
 * What a model that ignores its input scores on the masked tokens: it predicts every token by its
 * frequency, so its loss is the entropy of the token distribution (nats) and its accuracy the
 * frequency of the most common token. Pretraining has learned something only if its curves beat
 * this line.
 */
data class UnigramBaseline(val loss: Double, val accuracy: Double) {
    companion object {
        /**
         * The baseline of a token distribution given by its counts (e.g. of the masked tokens of
         * the validation windows): loss = −Σ p ln p (nats, as cross-entropy losses are),
         * accuracy = max p.
         */
        fun fromCounts(counts: List<Long>): UnigramBaseline {
            require(counts.all { it >= 0 }) { "token counts must be zero or more, got ${counts.filter { it < 0 }}" }
            val total = counts.sum().toDouble()
            require(total > 0) { "no tokens counted: the unigram baseline needs at least one" }
            val entropy = counts.filter { it > 0 }.sumOf { val p = it / total; -p * kotlin.math.ln(p) }
            return UnigramBaseline(entropy, counts.max() / total)
        }
    }
}

/** Learning curves of pretraining (or fine-tuning) runs. */
object LearningCurveCharts {
    /**
     * Loss and accuracy (two panels, each with its own y scale) against optimizer step, one
     * colour per series, solid for validation and dashed for training; the [baseline], when
     * given, as a dotted grey line in each panel. Points with a NaN value are left out of that
     * panel.
     */
    fun curves(points: List<LearningCurvePoint>, baseline: UnigramBaseline? = null, title: String = "learning curves"): Figure {
        require(points.isNotEmpty()) { "no learning-curve points to plot" }
        val step = mutableListOf<Long>()
        val measure = mutableListOf<String>()
        val value = mutableListOf<Double>()
        val series = mutableListOf<String>()
        val split = mutableListOf<String>()
        for (p in points) {
            for ((name, v) in listOf("loss" to p.loss(), "accuracy" to p.accuracy())) {
                if (v.isNaN()) continue
                step += p.step(); measure += name; value += v; series += p.series(); split += p.split()
            }
        }
        require(value.isNotEmpty()) { "every learning-curve point has NaN loss and accuracy" }
        val data = mapOf("step" to step, "measure" to measure, "value" to value, "series" to series, "split" to split)
        var plot = letsPlot(data) +
            geomLine(size = 1.0) { x = "step"; y = "value"; color = "series"; linetype = "split" }
        if (baseline != null) {
            val measures = measure.distinct()
            val reference = mapOf(
                "measure" to measures,
                "value" to measures.map { if (it == "loss") baseline.loss else baseline.accuracy },
            )
            plot += geomHLine(data = reference, linetype = "dotted", color = "#7F7F7F", size = 1.0) { yintercept = "value" }
        }
        return plot +
            facetWrap(facets = "measure", scales = "free_y") +
            labs(
                title = title,
                subtitle = if (baseline != null) "dotted: unigram baseline (token frequencies alone)" else null,
                x = "step",
                y = "",
                color = "series",
                linetype = "split",
            ) +
            themeMinimal()
    }
}
