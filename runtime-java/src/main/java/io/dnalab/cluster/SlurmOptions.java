package io.dnalab.cluster;

import java.util.regex.Pattern;

/**
 * What every array job of a submission asks Slurm for. Null (or 0) leaves a field to the
 * cluster's defaults, so the script carries no directive for it.
 *
 * @param partition {@code --partition}
 * @param gpusPerTask {@code --gpus-per-task} (0 = none asked)
 * @param cpusPerTask {@code --cpus-per-task} (0 = the cluster's default, one on most); each task
 *     trains with that many threads
 * @param time {@code --time}, in any form sbatch takes ({@code 30}, {@code 2:00:00},
 *     {@code 1-00:00:00})
 * @param maxParallel the {@code %N} of {@code --array}: at most this many tasks of one array run
 *     at once (0 = no limit)
 */
public record SlurmOptions(String partition, int gpusPerTask, int cpusPerTask, String time,
    int maxParallel) {

  // sbatch's own forms: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS, or UNLIMITED.
  private static final Pattern TIME = Pattern.compile(
      "(\\d+(-\\d+)?(:\\d+){0,2}|UNLIMITED|INFINITE)", Pattern.CASE_INSENSITIVE);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.,-]+");

  public SlurmOptions {
    if (partition != null && !NAME.matcher(partition).matches()) {
      throw new IllegalArgumentException("--partition must be a Slurm partition name (letters, "
          + "digits, '_', '-', '.', ','), got \"" + partition + "\"");
    }
    if (gpusPerTask < 0 || cpusPerTask < 0 || maxParallel < 0) {
      throw new IllegalArgumentException("--gpus-per-task, --cpus-per-task and --max-parallel "
          + "must be >= 0, got " + gpusPerTask + ", " + cpusPerTask + ", " + maxParallel);
    }
    if (time != null && !TIME.matcher(time).matches()) {
      throw new IllegalArgumentException("--time must be one of sbatch's forms (minutes, "
          + "HH:MM:SS, D-HH:MM:SS), got \"" + time + "\"");
    }
  }

  /** Nothing asked: the cluster's defaults. */
  public static SlurmOptions defaults() {
    return new SlurmOptions(null, 0, 0, null, 0);
  }
}
