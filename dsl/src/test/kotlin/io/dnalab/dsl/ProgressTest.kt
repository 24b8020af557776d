package io.dnalab.dsl

import io.dnalab.metrics.MetricSet
import io.dnalab.train.FineTuneResult
import org.assertj.core.api.Assertions.assertThat
import org.junit.jupiter.api.Test

class ProgressTest {
    private class Recorder : ProgressDisplay {
        val shown = mutableListOf<Triple<String, String, Boolean>>()
        override fun show(html: String, id: String, update: Boolean) {
            shown += Triple(html, id, update)
        }
    }

    @Test
    fun `one display, updated in place, throttled, ending with the total`() {
        val spec = experimentSpec("p") { task(gue("tf_0")); model(cnnBaseline()); seeds(2) }
        var now = 0L
        val display = Recorder()
        val progress = ExperimentProgress(spec, display) { now }
        val dev = MetricSet(10, 0.9, 0.8, 0.9, 0.9, 0.9, 0.3)
        val done = FineTuneResult(dev, dev, listOf(dev), 1, 1, 10, 1000, 100, 1.0, 1.0, "cpu")

        progress.onRunStart("cnn-baseline seed 1", 1, 10, 1000)
        repeat(10) { step ->
            now += 100_000_000L // 0.1 s a step: ten steps make one throttled update
            progress.onStep(1, step + 1L, 10, 0.5, 1e-3)
        }
        progress.onEpochEnd(1, dev, true)
        progress.onRunEnd(done)
        now += 60_000_000_000L
        progress.onRunStart("cnn-baseline seed 2", 1, 10, 1000)
        progress.onRunEnd(done)
        progress.finish()

        assertThat(display.shown.map { it.second }.distinct()).hasSize(1)
        assertThat(display.shown.first().third).isFalse()
        assertThat(display.shown.drop(1)).allMatch { it.third }
        assertThat(display.shown.size).isLessThanOrEqualTo(9)
        assertThat(display.shown.map { it.first }).anyMatch { it.contains("run 1/2 cnn-baseline seed 1 · epoch 1/1 · step 10/10") }
        assertThat(display.shown.map { it.first }).anyMatch { it.contains("dev MCC 0.800 (best)") }
        assertThat(display.shown.last().first).contains("100%").contains("done: 2 runs in 1m 1s")
    }
}
