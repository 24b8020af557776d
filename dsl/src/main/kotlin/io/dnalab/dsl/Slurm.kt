package io.dnalab.dsl

import io.dnalab.cluster.SlurmOptions
import io.dnalab.experiment.Dnalab
import io.dnalab.spec.ExperimentSpec

/** What every Slurm job of a submission asks for; anything unset is left to the cluster. */
class SlurmBuilder internal constructor() {
    private var partition: String? = null
    private var gpusPerTask = 0
    private var cpusPerTask = 0
    private var time: String? = null
    private var maxParallel = 0

    fun partition(name: String) { partition = name }
    fun gpusPerTask(n: Int) { gpusPerTask = n }

    /** Each task trains with this many threads. */
    fun cpusPerTask(n: Int) { cpusPerTask = n }

    /** sbatch's `--time`, e.g. `"2:00:00"`. */
    fun time(limit: String) { time = limit }

    /** At most this many tasks of one array run at once. */
    fun maxParallel(n: Int) { maxParallel = n }

    internal fun build() = SlurmOptions(partition, gpusPerTask, cpusPerTask, time, maxParallel)
}

/** `spec.submit(slurm { partition("gpu"); gpusPerTask(1); time("4:00:00") })` */
fun slurm(block: SlurmBuilder.() -> Unit = {}): SlurmOptions = SlurmBuilder().apply(block).build()

/**
 * Submits the stages of this spec that are not done to Slurm, one job array per stage kind,
 * through `bin/dnalab submit` (the scripts stay beside the result store, readable and editable).
 * Submitting again sends only what is missing. Returns what the command printed.
 */
fun ExperimentSpec.submit(options: SlurmOptions): String = Dnalab.submitToSlurm(this, options)

/**
 * The [Results] of a spec whose stages ran on the cluster, the same a local [run] returns; fails,
 * saying how many, while any stage is not done.
 */
fun ExperimentSpec.collect(): Results = Dnalab.collect(this).toResults(this)
