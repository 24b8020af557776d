package io.dnalab.dsl

import io.dnalab.experiment.ExecutionListener
import io.dnalab.experiment.ExperimentEngine
import io.dnalab.spec.ExperimentSpec
import io.dnalab.experiment.Plan
import io.dnalab.experiment.Stage
import io.dnalab.experiment.LocalPretrainRunner
import io.dnalab.train.ProgressBarListener
import io.dnalab.train.TrainingListener

/**
 * States an experiment and runs it through the experiment engine: runs already in the result
 * store are read back (re-executing a finished notebook takes seconds), the others are fine-tuned
 * and evaluated and recorded as each finishes, with progress shown while they run (an updating
 * line in a notebook, a progress bar in a terminal). The returned [Results] render as the
 * comparison table.
 */
fun experiment(name: String = "experiment", block: ExperimentBuilder.() -> Unit): Results =
    experimentSpec(name, block).run()

/** Runs a spec built with [experimentSpec] (or read from JSON). */
fun ExperimentSpec.run(): Results = ExperimentEngine.fromEnvironment().use { engine ->
    val plan = engine.plan(this)
    val display = ProgressDisplay.current
    if (display == null) {
        System.err.println("${name()}: ${plan.summary()}")
        val bar = ProgressBarListener(System.err)
        val runs = engine.execute(plan, object : ExecutionListener {
            override fun onStageStart(stage: Stage) = System.err.println("${stage.kind().title()}: ${stage.label()}")
            override fun training(): TrainingListener = bar
        })
        Results(this, runs, pretrainings(engine, plan))
    } else {
        val progress = ExperimentProgress(plan, display)
        val runs = engine.execute(plan, progress)
        progress.finish()
        Results(this, runs, pretrainings(engine, plan))
    }
}

/** The finished pretraining stages of [plan], read from their artifacts. */
private fun pretrainings(engine: ExperimentEngine, plan: Plan): List<PretrainingRun> =
    plan.stages(Stage.Kind.PRETRAIN).mapNotNull { stage ->
        engine.artifacts().find(stage.kind().artifactKind(), stage.key()).orElse(null)?.let { folder ->
            LocalPretrainRunner.readResult(folder).orElse(null)?.let { PretrainingRun(stage.cell(), folder, it) }
        }
    }

/**
 * What running this spec would do, against the default stores: stages per kind, which are done,
 * the time left. Renders in a notebook with the spec's table.
 */
fun ExperimentSpec.plan(): Plan = ExperimentEngine.fromEnvironment().use { it.plan(this) }

/** The spec as JSON, for `bin/dnalab run SPEC.json` on a script or a cluster. */
fun ExperimentSpec.toJson(): String = io.dnalab.spec.SpecJson.write(this)
