package io.dnalab.dsl

import io.dnalab.experiment.ExperimentSpec
import io.dnalab.experiment.RunResult
import io.dnalab.metrics.Spread
import io.dnalab.plots.ResultCharts
import org.jetbrains.kotlinx.dataframe.DataFrame
import org.jetbrains.kotlinx.dataframe.api.dataFrameOf
import org.jetbrains.letsPlot.Figure
import java.util.Locale

/**
 * The finished runs of an experiment. Renders in a notebook as the comparison table (test metrics
 * as mean ± sd over seeds per cell, parameters, wall time) followed by every run.
 * Immutable: every view returns a new value.
 */
class Results(val spec: ExperimentSpec, val runs: List<RunResult>) {

    /** One row per run: the cell, the seed, test and dev metrics, cost. */
    fun toDataFrame(): DataFrame<*> = dataFrameOf(
        "task" to runs.map { it.task() },
        "tokenizer" to runs.map { it.tokenizer() },
        "model" to runs.map { it.model() },
        "pretrain" to runs.map { it.pretrain() },
        "seed" to runs.map { it.seed() },
        "test_mcc" to runs.map { it.test().mcc() },
        "test_accuracy" to runs.map { it.test().accuracy() },
        "test_f1" to runs.map { it.test().macroF1() },
        "test_auroc" to runs.map { it.test().auroc() },
        "test_auprc" to runs.map { it.test().auprc() },
        "dev_mcc" to runs.map { it.dev().mcc() },
        "parameters" to runs.map { it.parameters() },
        "wall_seconds" to runs.map { it.wallSeconds() },
        "epochs" to runs.map { it.epochs() },
        "best_epoch" to runs.map { it.bestEpoch() },
        "device" to runs.map { it.device() },
        "tokens_seen" to runs.map { it.tokensSeen() },
        "flops" to runs.map { it.flops() },
    )

    /** Per cell: test metrics as mean ± sd over seeds, parameters and mean wall time per run. */
    fun summary(): Table {
        val cells = runs.groupBy { listOf(it.task(), it.tokenizer(), it.model(), it.pretrain()) }
        return Table(
            columns = listOf(
                "task", "tokenizer", "model", "pretraining", "seeds",
                "test MCC", "test accuracy", "test AUROC", "parameters", "wall s / run",
            ),
            rows = cells.map { (cell, group) ->
                cell + listOf(
                    group.size.toString(),
                    spread(group) { it.test().mcc() },
                    spread(group) { it.test().accuracy() },
                    spread(group) { it.test().auroc() },
                    String.format(Locale.ROOT, "%,d", group.first().parameters()),
                    String.format(Locale.ROOT, "%.1f", group.map { it.wallSeconds() }.average()),
                )
            },
            caption = "${spec.name()}: test metrics, mean ± sd over seeds",
        )
    }

    /** Every run, one row each. */
    fun perSeed(): Table = toDataFrame().toTable("${spec.name()}: every run")

    /** The test metric per cell and seed as a chart (see [ResultCharts.metricByModel]). */
    fun plot(metric: String = "mcc"): Figure = ResultCharts.metricByModel(runs, metric)

    fun toHtml(): String = summary().toHtml() +
        "<details><summary>every run (${runs.size})</summary>" + perSeed().toHtml() + "</details>"

    override fun toString(): String = summary().toString()

    private fun spread(group: List<RunResult>, metric: (RunResult) -> Double): String =
        Spread.of(*group.map(metric).toDoubleArray()).format(3)
}
