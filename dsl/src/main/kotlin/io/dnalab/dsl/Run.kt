package io.dnalab.dsl

import io.dnalab.experiment.ExperimentRunner
import io.dnalab.experiment.ExperimentSpec
import io.dnalab.train.ProgressBarListener

/**
 * States an experiment and runs it: every cell × seed is fine-tuned and evaluated, with progress
 * shown while it runs (an updating line in a notebook, a progress bar in a terminal). The
 * returned [Results] render as the comparison table.
 */
fun experiment(name: String = "experiment", block: ExperimentBuilder.() -> Unit): Results =
    experimentSpec(name, block).run()

/** Runs a spec built with [experimentSpec] (or read from JSON). */
fun ExperimentSpec.run(): Results {
    val display = ProgressDisplay.current
    if (display == null) {
        val runner = ExperimentRunner.fromEnvironment(ProgressBarListener(System.err)) {}
        return Results(this, runner.run(this))
    }
    val progress = ExperimentProgress(this, display)
    val runs = ExperimentRunner.fromEnvironment(progress) {}.run(this)
    progress.finish()
    return Results(this, runs)
}

/** The spec as JSON, for `bin/dnalab run SPEC.json` on a script or a cluster. */
fun ExperimentSpec.toJson(): String = io.dnalab.experiment.SpecJson.write(this)
