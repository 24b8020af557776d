package io.dnalab.dsl

import io.dnalab.data.PublishedResult
import io.dnalab.experiment.Dnalab
import io.dnalab.metrics.LearningCurvePoint
import io.dnalab.plots.AgainstPublishedCharts
import io.dnalab.plots.EmbeddingCharts
import io.dnalab.plots.GainCharts
import io.dnalab.plots.IntervalCharts
import io.dnalab.plots.LearningCurveCharts
import io.dnalab.plots.OurResult
import io.dnalab.plots.ResultCharts
import io.dnalab.plots.UnigramBaseline
import io.dnalab.spec.ModelSpec
import org.jetbrains.letsPlot.Figure

/**
 * The charts of an experiment's results, the one way to draw them: `plot(results).gainVsCost()`.
 * Each method returns a Lets-Plot figure, which a notebook renders as inline SVG and
 * [io.dnalab.plots.FigureExport] saves as SVG or PNG.
 */
class ResultPlots(val results: Results) {
    /** Test [metric] per model × tokenizer: mean and 95% CI per cell, one panel per task. */
    fun metric(metric: String = "mcc"): Figure = IntervalCharts.metricByModelAndTokenizer(results.runs, metric)

    /** Test [metric] per cell: every seed, mean ± sd. */
    fun perSeed(metric: String = "mcc"): Figure = ResultCharts.metricByModel(results.runs, metric)

    /** Forest plot of the paired pretraining gains ([Results.pretrainingGain]). */
    fun pretrainingGain(metric: String = "mcc", baseline: String = "none"): Figure =
        plot(results.pretrainingGain(metric, baseline)).forest()

    /** The paired pretraining gain against its cost, log cost axis. */
    fun gainVsCost(
        metric: String = "mcc",
        axis: GainCharts.CostAxis = GainCharts.CostAxis.DEVICE_HOURS,
        baseline: String = "none",
    ): Figure = plot(results.pretrainingGain(metric, baseline)).againstCost(axis)

    /**
     * Learning curves of every pretraining in the experiment (training loss and held-out
     * loss / accuracy against step); the unigram baseline is drawn when there is one pretraining.
     */
    fun pretrainingCurves(): Figure {
        val pretrainings = results.pretrainings
        require(pretrainings.isNotEmpty()) { "no pretraining ran in ${results.spec.name()}: its cells all use pretrain(none)" }
        val points = pretrainings.flatMap { run ->
            val series = "${run.cell.pretrain().id()} · ${run.cell.tokenizer().id()} · ${run.cell.model().id()}"
            run.result.curve().map { LearningCurvePoint(series, it.step(), it.split(), it.loss(), it.accuracy()) }
        }
        val baseline = pretrainings.singleOrNull()?.result?.baseline()?.let { UnigramBaseline(it.loss(), it.accuracy()) }
        return learningCurves(points, baseline, "${results.spec.name()}: pretraining curves")
    }

    /**
     * A 2-D projection of the token embeddings a pretrained BERT learned, coloured by the GC
     * fraction of each token (as the RandomMask paper's picture), titled with the tokenizer;
     * [tokenizer] picks the pretraining when there are several.
     */
    fun tokenEmbeddings(tokenizer: String? = null): Figure {
        val run = results.pretrainings.firstOrNull {
            it.cell.model() is ModelSpec.Bert && (tokenizer == null || it.cell.tokenizer().id() == tokenizer)
        } ?: throw IllegalArgumentException(
            "no pretrained bert" + (tokenizer?.let { " with tokenizer $it" } ?: "") + " in ${results.spec.name()}; pretrained: " +
                results.pretrainings.map { "${it.cell.tokenizer().id()} · ${it.cell.model().id()}" },
        )
        val embeddings = Dnalab.tokenEmbeddings(run.folder, run.cell.model())
        return tokenEmbeddings(
            embeddings.vectors(), embeddings.tokens(),
            run.cell.tokenizer().id(), // the chart title adds what it shows; a longer name is cut off
        )
    }

    /** [Results.againstPublished] as a chart: our GUE cells with their intervals, published models as diamonds. */
    fun againstPublished(): Figure {
        val ours = results.ourGueCells().map { (cell, interval) ->
            OurResult(cell.task, cell.label, interval.estimate() * 100, interval.low() * 100, interval.high() * 100)
        }
        return AgainstPublishedCharts.mcc(ours, PublishedResult.gue())
    }
}

/** The charts of [results]; rendered alone in a cell, the metric chart with its intervals. */
fun plot(results: Results): ResultPlots = ResultPlots(results)

/** The charts of a [GainTable], e.g. one computed with a cost of your own. */
class GainPlots(val gains: GainTable) {
    /** The forest plot of the gains ([GainCharts.forest]). */
    fun forest(): Figure = GainCharts.forest(gains.gains)

    /** The gains against their cost ([GainCharts.gainVsCost]). */
    fun againstCost(axis: GainCharts.CostAxis = GainCharts.CostAxis.DEVICE_HOURS): Figure =
        GainCharts.gainVsCost(gains.gains, axis)
}

/** The charts of [gains]; rendered alone in a cell, the forest plot. */
fun plot(gains: GainTable): GainPlots = GainPlots(gains)

/** Learning curves (loss and accuracy against step), with the unigram baseline when given. */
fun learningCurves(points: List<LearningCurvePoint>, baseline: UnigramBaseline? = null, title: String = "learning curves"): Figure =
    LearningCurveCharts.curves(points, baseline, title)

/** A PCA picture of token embeddings (one row per token) coloured by GC fraction. */
fun tokenEmbeddings(embeddings: Array<FloatArray>, tokens: List<String>, name: String = "token embeddings"): Figure =
    EmbeddingCharts.tokenProjection(embeddings, tokens, name)
