package io.dnalab.dsl

import io.dnalab.metrics.LearningCurvePoint
import io.dnalab.plots.EmbeddingCharts
import io.dnalab.plots.GainCharts
import io.dnalab.plots.IntervalCharts
import io.dnalab.plots.LearningCurveCharts
import io.dnalab.plots.ResultCharts
import io.dnalab.plots.UnigramBaseline
import org.jetbrains.letsPlot.Figure

/**
 * The charts of an experiment's results: `plot(results).gainVsCost()`. Each method returns a
 * Lets-Plot figure, which a notebook renders as inline SVG and [io.dnalab.plots.FigureExport]
 * saves as SVG or PNG.
 */
class ResultPlots(val results: Results) {
    /** Test [metric] per model × tokenizer: mean and 95% CI per cell, one panel per task. */
    fun metric(metric: String = "mcc"): Figure = IntervalCharts.metricByModelAndTokenizer(results.runs, metric)

    /** Test [metric] per cell: every seed, mean ± sd. */
    fun perSeed(metric: String = "mcc"): Figure = ResultCharts.metricByModel(results.runs, metric)

    /** Forest plot of the paired pretraining gains ([Results.pretrainingGain]). */
    fun pretrainingGain(metric: String = "mcc", baseline: String = "none"): Figure =
        results.pretrainingGain(metric, baseline).plot()

    /** The paired pretraining gain against its cost, log cost axis. */
    fun gainVsCost(
        metric: String = "mcc",
        axis: GainCharts.CostAxis = GainCharts.CostAxis.DEVICE_HOURS,
        baseline: String = "none",
    ): Figure = results.pretrainingGain(metric, baseline).plotAgainstCost(axis)
}

/** The charts of [results]; rendered alone in a cell, the metric chart with its intervals. */
fun plot(results: Results): ResultPlots = ResultPlots(results)

/** Learning curves (loss and accuracy against step), with the unigram baseline when given. */
fun learningCurves(points: List<LearningCurvePoint>, baseline: UnigramBaseline? = null, title: String = "learning curves"): Figure =
    LearningCurveCharts.curves(points, baseline, title)

/** A PCA picture of token embeddings (one row per token) coloured by GC fraction. */
fun tokenEmbeddings(embeddings: Array<FloatArray>, tokens: List<String>, name: String = "token embeddings"): Figure =
    EmbeddingCharts.tokenProjection(embeddings, tokens, name)
