package io.dnalab.dsl

import io.dnalab.result.RunResult
import io.dnalab.spec.ExperimentSpec
import io.dnalab.train.PretrainResult
import org.jetbrains.kotlinx.dataframe.DataFrame
import org.jetbrains.letsPlot.Figure
import java.nio.file.Path

/**
 * A finished pretraining stage: its cell (whose pretraining is the one-seed spec it ran: one per
 * pretraining seed), its artifact folder and its result.
 */
class PretrainingRun(val cell: ExperimentSpec.Cell, val folder: Path, val result: PretrainResult)

/**
 * The finished runs of an experiment. Renders in a notebook as the comparison table (test metrics
 * as mean ± sd and 95% CI over seeds per cell, parameters, cost) followed by every run.
 * Immutable: every view returns a new value. A pretrained arm with several pretraining seeds has
 * one run per pretraining seed × fine-tuning seed ([RunResult.pretrainSeed], the `pretrain_seed`
 * column of [toDataFrame]).
 *
 * The views live beside their concern: [summary] (Summary.kt), [pretrainingGain] (Gains.kt),
 * [pretraining] (PretrainingResults.kt), [againstPublished] (Published.kt); every chart is
 * `plot(results).…()` ([ResultPlots], Plots.kt).
 */
class Results(
    val spec: ExperimentSpec,
    val runs: List<RunResult>,
    /** The pretraining stages the runs started from, with their curves and cost. */
    val pretrainings: List<PretrainingRun> = emptyList(),
    /**
     * The stage key of each run, in [runs]' order (empty when unknown): how [pretrainingGain]
     * finds a run's stored test predictions for its paired bootstrap over test examples.
     */
    val runKeys: List<String> = emptyList(),
) {

    /** One row per run: the cell, the seed, dev and test metrics, cost ([runsFrame]). */
    fun toDataFrame(): DataFrame<*> = runsFrame(runs)

    /** Every run, one row each. */
    fun perSeed(): Table = toDataFrame().toTable("${spec.name()}: every run")

    fun toHtml(): String = summary().toHtml() +
        (if (pretrainings.isEmpty()) "" else pretraining().toHtml()) +
        "<details><summary>every run (${runs.size})</summary>" + perSeed().toHtml() + "</details>"

    override fun toString(): String = summary().toString()

    // Charts moved to plot(results): the old members stay only to name their replacement when an
    // older notebook calls them.

    @Deprecated("charts are plot(results).…(): use plot(results).perSeed(metric)", ReplaceWith("plot(this).perSeed(metric)"), DeprecationLevel.ERROR)
    fun plot(metric: String = "mcc"): Figure = io.dnalab.dsl.plot(this).perSeed(metric)

    @Deprecated("charts are plot(results).…(): use plot(results).againstPublished()", ReplaceWith("plot(this).againstPublished()"), DeprecationLevel.ERROR)
    fun plotAgainstPublished(): Figure = io.dnalab.dsl.plot(this).againstPublished()

    @Deprecated("charts are plot(results).…(): use plot(results).pretrainingCurves()", ReplaceWith("plot(this).pretrainingCurves()"), DeprecationLevel.ERROR)
    fun pretrainingCurves(): Figure = io.dnalab.dsl.plot(this).pretrainingCurves()

    @Deprecated("charts are plot(results).…(): use plot(results).tokenEmbeddings(tokenizer)", ReplaceWith("plot(this).tokenEmbeddings(tokenizer)"), DeprecationLevel.ERROR)
    fun tokenEmbeddings(tokenizer: String? = null): Figure = io.dnalab.dsl.plot(this).tokenEmbeddings(tokenizer)
}
