package io.dnalab.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of the sbatch script for one {@link ArrayJob}: {@code #SBATCH} directives, then a body
 * that reads the task's key from line {@code SLURM_ARRAY_TASK_ID + 1} of the array's key file and
 * runs the command for it. A task that fails leaves {@code failed/KEY} beside the script, with
 * its exit status and job id, so {@code dnalab status} can tell failed from missing after Slurm
 * has forgotten the job.
 *
 * <p>Everything is written out (environment, absolute paths, the exact command) so a user can read
 * the script, change it and run it again with plain {@code sbatch}.
 */
public final class SbatchScript {
  private SbatchScript() {
  }

  /** The key file of an array: one key per line, line i+1 for array task i. */
  public static String keysFileName(ArrayJob job) {
    return job.name() + ".keys";
  }

  public static String scriptFileName(ArrayJob job) {
    return job.name() + ".sbatch";
  }

  /** Where a failed task leaves its marker, relative to the script's folder. */
  public static final String FAILED_FOLDER = "failed";

  public static String render(ArrayJob job, SlurmOptions options, Path folder) {
    List<String> lines = new ArrayList<>();
    lines.add("#!/usr/bin/env bash");
    lines.add("# " + job.description());
    lines.add("# Written by `dnalab submit`. Task i runs the key on line i+1 of "
        + keysFileName(job) + ";");
    lines.add("# edit and resubmit with sbatch, or run `dnalab submit` again: it submits only "
        + "what is missing.");
    lines.add("#SBATCH --job-name=" + job.jobName());
    int last = job.keys().size() - 1;
    lines.add("#SBATCH --array=0-" + last
        + (options.maxParallel() > 0 ? "%" + options.maxParallel() : ""));
    lines.add("#SBATCH --output=" + folder.resolve("logs").resolve(job.name() + "-%A_%a.out"));
    if (options.partition() != null) {
      lines.add("#SBATCH --partition=" + options.partition());
    }
    if (options.cpusPerTask() > 0) {
      lines.add("#SBATCH --cpus-per-task=" + options.cpusPerTask());
    }
    if (options.gpusPerTask() > 0) {
      lines.add("#SBATCH --gpus-per-task=" + options.gpusPerTask());
    }
    if (options.time() != null) {
      lines.add("#SBATCH --time=" + options.time());
    }
    lines.add("set -uo pipefail");
    for (String variable : job.environment()) {
      int equals = variable.indexOf('=');
      lines.add("export " + variable.substring(0, equals) + "="
          + quote(variable.substring(equals + 1)));
    }
    // A task trains with the CPUs Slurm gave it, not every core of the node.
    lines.add("export DNALAB_THREADS=\"${SLURM_CPUS_PER_TASK:-${DNALAB_THREADS:-1}}\"");
    lines.add("here=" + quote(folder.toString()));
    lines.add("key=\"$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" \"$here/"
        + keysFileName(job) + "\")\"");
    lines.add("if [ -z \"$key\" ]; then");
    lines.add("  echo \"dnalab: no key for array task $SLURM_ARRAY_TASK_ID in $here/"
        + keysFileName(job) + "\" >&2");
    lines.add("  exit 2");
    lines.add("fi");
    List<String> words = new ArrayList<>();
    for (String word : job.command()) {
      words.add(word.equals(ArrayJob.KEY) ? "\"$key\"" : quote(word));
    }
    lines.add(String.join(" ", words));
    lines.add("status=$?");
    lines.add("if [ \"$status\" -ne 0 ]; then");
    lines.add("  mkdir -p \"$here/" + FAILED_FOLDER + "\"");
    lines.add("  echo \"exit $status, job ${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\" > \"$here/"
        + FAILED_FOLDER + "/$key\"");
    lines.add("fi");
    lines.add("exit \"$status\"");
    return String.join("\n", lines) + "\n";
  }

  /** A single-quoted shell word: safe for any text, including spaces and quotes. */
  static String quote(String word) {
    if (!word.isEmpty() && word.chars().allMatch(c -> Character.isLetterOrDigit(c)
        || "/._-=:+,@%".indexOf(c) >= 0)) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
