package io.dnalab.dsl

import io.dnalab.experiment.ExperimentSpec
import io.dnalab.metrics.MetricSet
import io.dnalab.train.FineTuneResult
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
 * One updating line for a whole experiment: which run, its epoch and step, loss, the last dev
 * score, runs done, elapsed time and an estimate of the time left. Updates at most once a second,
 * because each update is a message to the notebook front end.
 *
 * The line first shows the plan (what will run), which stays true in a rendered report: kernel
 * 0.11 sends display updates under another request's header, so headless execution (nbclient)
 * keeps the first version while a live notebook shows every update.
 */
internal class ExperimentProgress(
    private val spec: ExperimentSpec,
    private val display: ProgressDisplay,
    private val clock: () -> Long = System::nanoTime,
) : TrainingListener {
    private val id = "dnalab-progress-" + System.identityHashCode(this)
    private val started = clock()
    private var lastShown = Long.MIN_VALUE
    private var runsDone = 0
    private var label = ""
    private var epoch = 0
    private var epochs = 0
    private var step = 0L
    private var totalSteps = 1L
    private var loss = Double.NaN
    private var lastDev = ""

    init {
        display.show(render(), id, update = false)
    }

    override fun onRunStart(label: String, epochs: Int, totalSteps: Long, parameters: Long) {
        this.label = label
        this.epochs = epochs
        this.totalSteps = maxOf(1L, totalSteps)
        step = 0
        loss = Double.NaN
        lastDev = ""
        refresh(force = true)
    }

    override fun onStep(epoch: Int, step: Long, totalSteps: Long, loss: Double, learningRate: Double) {
        this.epoch = epoch
        this.step = step
        this.loss = if (this.loss.isNaN()) loss else 0.98 * this.loss + 0.02 * loss
        refresh(force = false)
    }

    override fun onEpochEnd(epoch: Int, dev: MetricSet, improved: Boolean) {
        lastDev = String.format(Locale.ROOT, "dev MCC %.3f%s", dev.mcc(), if (improved) " (best)" else "")
        refresh(force = true)
    }

    override fun onRunEnd(result: FineTuneResult) {
        runsDone++
        step = 0
        refresh(force = true)
    }

    /** The final state, shown whatever the throttle says. */
    fun finish() = refresh(force = true)

    private fun refresh(force: Boolean) {
        val now = clock()
        if (!force && now - lastShown < 1_000_000_000L) return
        lastShown = now
        display.show(render(), id, update = true)
    }

    internal fun render(): String {
        val total = spec.runCount()
        val elapsed = (clock() - started) / 1e9
        val fraction = ((runsDone + step.toDouble() / totalSteps) / total).coerceIn(0.0, 1.0)
        val status = if (label.isEmpty() && runsDone == 0) {
            "$total runs: ${spec.cells().size} cells × ${spec.seeds()} seeds"
        } else if (runsDone == total) {
            "done: $total runs in ${duration(elapsed)}"
        } else {
            val eta = if (fraction > 0.01) " · about ${duration(elapsed * (1 - fraction) / fraction)} left" else ""
            val run = "run ${runsDone + 1}/$total $label · epoch $epoch/$epochs · step $step/$totalSteps" +
                    (if (loss.isNaN()) "" else String.format(Locale.ROOT, " · loss %.4f", loss)) +
                    (if (lastDev.isEmpty()) "" else " · $lastDev")
            "$run · ${duration(elapsed)} elapsed$eta"
        }
        val percent = (fraction * 100).toInt()
        return "<div class=\"dnalab-progress\" style=\"font:12px/1.4 monospace\">" +
            "<progress max=\"100\" value=\"$percent\" style=\"width:12em;vertical-align:middle\"></progress> " +
            "$percent% · ${escapeHtml(spec.name())} · ${escapeHtml(status)}</div>"
    }

    private fun duration(seconds: Double): String {
        val s = seconds.toLong()
        return when {
            s < 60 -> "${s}s"
            s < 3600 -> "${s / 60}m ${s % 60}s"
            else -> "${s / 3600}h ${(s % 3600) / 60}m"
        }
    }
}
