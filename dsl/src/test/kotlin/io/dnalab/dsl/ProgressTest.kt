package io.dnalab.dsl

import io.dnalab.experiment.Plan
import io.dnalab.experiment.Stage
import io.dnalab.result.MetricSet
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
    fun `one display per plan, updated in place, throttled, with the time left and what was reused`() {
        val spec = experimentSpec("p") { task(gue("tf_0")); model(cnnBaseline()); seeds(3) }
        val cell = spec.cells().single()
        fun stage(seed: Long, done: Boolean, estimate: Double) = Stage(
            "%064x".format(seed), Stage.Kind.FINETUNE, "${cell.label()} · seed $seed", cell, seed,
            listOf(), done, estimate, "{}",
        )
        val plan = Plan(spec, listOf(stage(1, true, 10.0), stage(2, false, 10.0), stage(3, false, 30.0)))
        var now = 0L
        val display = Recorder()
        val progress = ExperimentProgress(plan, display) { now }
        val dev = MetricSet(10, 0.9, 0.8, 0.9, 0.9, 0.9, 0.3)

        progress.onStageSkipped(plan.stages()[0])
        progress.onStageStart(plan.stages()[1])
        progress.onRunStart("cnn-baseline seed 2", 1, 10, 1000)
        repeat(10) { step ->
            now += 1_000_000_000L // 1 s a step: every step may update
            progress.onStep(1, step + 1L, 10, 0.5, 1e-3)
        }
        progress.onEpochEnd(1, dev, true)
        progress.onStageEnd(plan.stages()[1], 10.0, null)
        progress.onStageStart(plan.stages()[2])
        progress.onRunStart("cnn-baseline seed 3", 1, 10, 1000)
        repeat(5) { step ->
            now += 100_000_000L // 0.1 s a step: throttled to one update a second
            progress.onStep(1, step + 1L, 10, 0.5, 1e-3)
        }
        val midway = progress.render()
        now += 30_000_000_000L
        progress.onStageEnd(plan.stages()[2], 30.0, null)
        progress.finish()

        val shown = display.shown.map { it.first }
        assertThat(display.shown.map { it.second }.distinct()).hasSize(1)
        assertThat(display.shown.first().third).isFalse()
        assertThat(display.shown.drop(1)).allMatch { it.third }
        assertThat(shown.first()).contains("0% · p · 3 runs: 1 cells × 3 seeds · 1 done before · about 40s left")
        assertThat(shown).anyMatch {
            it.contains("stage 2/3 fine-tuning + evaluation gue/tf_0 · nucleotide · cnn-baseline · none · seed 2 · epoch 1/1 · step 10/10")
        }
        assertThat(shown).anyMatch { it.contains("dev MCC 0.800 (best)") }
        // Halfway through the 30 s stage after the 10 s one: (10 + 15) / 40 of the work, in 10.5 s (shown rounded).
        assertThat(midway).contains("62% · p · stage 3/3").contains("11s elapsed · about 6s left")
        assertThat(display.shown.size).isLessThanOrEqualTo(20)
        assertThat(shown.last()).contains("100%").contains("done: 3 runs (1 reused) in 41s")
    }
}
