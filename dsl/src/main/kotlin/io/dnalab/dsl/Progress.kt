package io.dnalab.dsl

import io.dnalab.experiment.ExecutionListener
import io.dnalab.spec.ExperimentSpec
import io.dnalab.experiment.Plan
import io.dnalab.result.RunResult
import io.dnalab.experiment.Stage
import io.dnalab.result.MetricSet
import io.dnalab.train.TrainingListener
import java.util.Locale

/**
 * Where long work reports progress. The Jupyter integration installs one that shows an HTML
 * display and updates it in place; outside a notebook it is null and progress goes to a terminal
 * progress bar.
 */
fun interface ProgressDisplay {
    /** Shows [html] under [id]; [update] replaces what an earlier call showed under that id. */
    fun show(html: String, id: String, update: Boolean)

    companion object {
        /** Set by the notebook integration before each cell runs; null outside notebooks. */
        @Volatile
        var current: ProgressDisplay? = null
    }
}

/**
 * One updating line for a whole experiment, driven by the engine's executor: the plan first (runs, cells ×
 * seeds, how many are already done, the time left), then per stage what runs (its kind and cell,
 * epoch and step, loss, the last dev score), stages done, elapsed time and an estimate of the
 * time left, and at the end how many runs were reused. Updates at most once a second, because
 * each update is a message to the notebook front end.
 *
 * The time left weighs each stage still to do by the planner's estimate ([Stage.estimateSeconds]),
 * so a grid of short and long stages does not mislead it; without estimates every stage counts
 * the same.
 *
 * The line first shows the plan, which stays true in a rendered report: kernel 0.11 sends display
 * updates under another request's header, so headless execution (nbclient) keeps the first
 * version while a live notebook shows every update.
 */
internal class ExperimentProgress(
    private val plan: Plan,
    private val display: ProgressDisplay,
    private val clock: () -> Long = System::nanoTime,
) : ExecutionListener, TrainingListener {
    private val spec: ExperimentSpec = plan.spec()
    private val id = "dnalab-progress-" + System.identityHashCode(this)
    private val started = clock()
    private val toRun = plan.stages().filter { !it.done() }
    private val useEstimates = toRun.all { it.estimateSeconds().isFinite() && it.estimateSeconds() > 0 }
    private val totalWork = toRun.sumOf { weight(it) }
    private var workDone = 0.0
    private var lastShown = Long.MIN_VALUE
    private var stagesRun = 0
    private var skipped = 0
    private var current: Stage? = null
    private var epoch = 0
    private var epochs = 0
    private var step = 0L
    private var totalSteps = 1L
    private var loss = Double.NaN
    private var lastDev = ""

    init {
        display.show(render(), id, update = false)
    }

    override fun training(): TrainingListener = this

    override fun onStageSkipped(stage: Stage) {
        skipped++
        if (!stage.done()) {
            // Finished by another process after planning: as good as run.
            stagesRun++
            workDone += weight(stage)
        }
    }

    override fun onStageStart(stage: Stage) {
        current = stage
        epoch = 0
        epochs = 0
        step = 0
        totalSteps = 1
        loss = Double.NaN
        lastDev = ""
        refresh(force = true)
    }

    override fun onStageEnd(stage: Stage, seconds: Double, result: RunResult?) {
        stagesRun++
        workDone += weight(stage)
        current = null
        refresh(force = true)
    }

    override fun onRunStart(label: String, epochs: Int, totalSteps: Long, parameters: Long) {
        this.epochs = epochs
        this.totalSteps = maxOf(1L, totalSteps)
        step = 0
    }

    override fun onStep(epoch: Int, step: Long, totalSteps: Long, loss: Double, learningRate: Double) {
        this.epoch = epoch
        this.step = step
        this.totalSteps = maxOf(1L, totalSteps)
        this.loss = if (this.loss.isNaN()) loss else 0.98 * this.loss + 0.02 * loss
        refresh(force = false)
    }

    override fun onEpochEnd(epoch: Int, dev: MetricSet, improved: Boolean) {
        lastDev = String.format(Locale.ROOT, "dev MCC %.3f%s", dev.mcc(), if (improved) " (best)" else "")
        refresh(force = true)
    }

    /** The final state, shown whatever the throttle says. */
    fun finish() = refresh(force = true)

    private fun weight(stage: Stage): Double = if (useEstimates) stage.estimateSeconds() else 1.0

    private fun refresh(force: Boolean) {
        val now = clock()
        if (!force && now - lastShown < 1_000_000_000L) return
        lastShown = now
        display.show(render(), id, update = true)
    }

    internal fun render(): String {
        val runs = spec.runCount()
        val elapsed = (clock() - started) / 1e9
        val running = current
        val inStage = if (running == null) 0.0 else weight(running) * step.toDouble() / totalSteps
        val fraction = if (totalWork <= 0) 1.0 else ((workDone + inStage) / totalWork).coerceIn(0.0, 1.0)
        val alreadyDone = plan.stages().size - toRun.size
        val status = when {
            running == null && stagesRun == 0 && skipped == 0 -> {
                val done = plan.done(Stage.Kind.FINETUNE)
                "$runs runs: ${spec.cells().size} cells × ${spec.seeds()} seeds" +
                    (if (done > 0) " · $done done before" else "") +
                    (if (toRun.isEmpty()) " · nothing to run" else " · ${plan.remainingText()}")
            }
            running == null && stagesRun == toRun.size -> {
                val reused = plan.done(Stage.Kind.FINETUNE)
                "done: $runs runs" + (if (reused > 0) " ($reused reused)" else "") + " in ${Plan.duration(elapsed)}"
            }
            else -> {
                val eta = if (fraction > 0.01 && fraction < 1) " · about ${Plan.duration(elapsed * (1 - fraction) / fraction)} left" else ""
                val what = if (running == null) "" else {
                    "${running.kind().title()} ${running.label()}" +
                        (if (epochs > 0) " · epoch $epoch/$epochs · step $step/$totalSteps" else "") +
                        (if (loss.isNaN()) "" else String.format(Locale.ROOT, " · loss %.4f", loss)) +
                        (if (lastDev.isEmpty()) "" else " · $lastDev") + " · "
                }
                "stage ${alreadyDone + stagesRun + 1}/${plan.stages().size} $what" +
                    "${Plan.duration(elapsed)} elapsed$eta"
            }
        }
        val percent = (fraction * 100).toInt()
        return "<div class=\"dnalab-progress\" style=\"font:12px/1.4 monospace\">" +
            "<progress max=\"100\" value=\"$percent\" style=\"width:12em;vertical-align:middle\"></progress> " +
            "$percent% · ${escapeHtml(spec.name())} · ${escapeHtml(status)}</div>"
    }
}
