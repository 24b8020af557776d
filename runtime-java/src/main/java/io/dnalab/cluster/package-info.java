/**
 * Running commands on a batch scheduler: Slurm job arrays written as plain sbatch scripts a user
 * can read and edit, submitted with {@code sbatch}, watched with {@code squeue}. It knows nothing
 * of experiments: {@code io.dnalab.experiment} decides which stages become which array and what
 * command each array task runs.
 */
package io.dnalab.cluster;
