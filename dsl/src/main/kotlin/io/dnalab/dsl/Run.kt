package io.dnalab.dsl

import io.dnalab.experiment.Dnalab
import io.dnalab.experiment.Plan
import io.dnalab.experiment.Stage
import io.dnalab.spec.ExperimentSpec
import io.dnalab.spec.SpecJson

/**
 * States an experiment and runs it through the experiment engine: runs already in the result
 * store are read back (re-executing a finished notebook takes seconds), the others are fine-tuned
 * and evaluated and recorded as each finishes, with progress shown while they run (an updating
 * line in a notebook, a progress bar in a terminal). The returned [Results] render as the
 * comparison table.
 */
fun experiment(name: String = "experiment", block: ExperimentBuilder.() -> Unit): Results =
    experimentSpec(name, block).run()

/**
 * Runs a spec built with [experimentSpec] (or read from JSON). With [jobs] > 1, independent
 * stages (cells, seeds, tasks) run at once in that many worker processes, the cores split between
 * them; [Dnalab.defaultJobs] is one per core (at most 8). Their lines go to standard error.
 */
fun ExperimentSpec.run(jobs: Int = 1): Results {
    val display = ProgressDisplay.current
    var notebookProgress: ExperimentProgress? = null
    val outcome = Dnalab.run(this, jobs, { plan ->
        if (display == null) {
            System.err.println("${name()}: ${plan.summary()}")
            Dnalab.terminalProgress(System.err)
        } else {
            ExperimentProgress(plan, display).also { notebookProgress = it }
        }
    }, System.err)
    notebookProgress?.finish()
    return outcome.toResults(this)
}

/** The runs and pretrainings of an engine outcome as the notebook's [Results]. */
internal fun Dnalab.Outcome.toResults(spec: ExperimentSpec): Results =
    Results(
        spec, runs(), pretrainings().map { PretrainingRun(it.cell(), it.folder(), it.result()) },
        // The executor returns one result per fine-tuning stage, in plan order.
        plan().stages(Stage.Kind.FINETUNE).map { it.key() }.takeIf { it.size == runs().size } ?: emptyList(),
    )

/**
 * What running this spec would do, against the default stores: stages per kind, which are done,
 * the time left. Renders in a notebook with the spec's table.
 */
fun ExperimentSpec.plan(): Plan = Dnalab.plan(this)

/** The spec as JSON, for `bin/dnalab run SPEC.json` on a script or a cluster. */
fun ExperimentSpec.toJson(): String = SpecJson.write(this)
