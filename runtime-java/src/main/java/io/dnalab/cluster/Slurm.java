package io.dnalab.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Slurm's own commands, run as processes: {@code sbatch} to submit, {@code squeue} to see what is
 * queued or running. They find the cluster as they always do ({@code SLURM_CONF}, the node's
 * configuration), so dnalab needs no settings of its own.
 */
public final class Slurm {
  private static final long TIMEOUT_SECONDS = 120;

  private final Path binDir;

  /** The commands found on the PATH. */
  public Slurm() {
    this(null);
  }

  /** The commands in {@code binDir} (null = the PATH); tests put recording stand-ins there. */
  public Slurm(Path binDir) {
    this.binDir = binDir;
  }

  /** What Slurm says of one array task. */
  public record TaskState(String jobId, int arrayIndex, String state) {
  }

  /**
   * Submits {@code script}, after every job in {@code dependsOn} finished successfully; a job
   * whose dependency fails is cancelled by Slurm rather than left pending forever.
   *
   * @return the job id
   */
  public String submit(Path script, List<String> dependsOn) {
    List<String> command = new ArrayList<>(List.of(executable("sbatch"), "--parsable"));
    if (!dependsOn.isEmpty()) {
      command.add("--dependency=afterok:" + String.join(":", dependsOn));
      command.add("--kill-on-invalid-dep=yes");
    }
    command.add(script.toString());
    String out = run(command).trim();
    // --parsable prints "jobid" or "jobid;cluster".
    String id = out.contains(";") ? out.substring(0, out.indexOf(';')) : out;
    if (!id.matches("\\d+")) {
      throw new SlurmException("sbatch did not print a job id for " + script + ": " + out);
    }
    return id;
  }

  /**
   * Every queued or running task of the jobs named {@code jobNames}, one entry per array task
   * ({@code squeue -r}). Jobs Slurm no longer lists (finished, failed, cancelled) are absent.
   */
  public List<TaskState> queue(List<String> jobNames) {
    if (jobNames.isEmpty()) {
      return List.of();
    }
    String out = run(List.of(executable("squeue"), "--noheader", "--array", "--noconvert",
        "--name=" + String.join(",", jobNames), "--format=%i|%T"));
    List<TaskState> tasks = new ArrayList<>();
    for (String line : out.split("\n")) {
      line = line.trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] fields = line.split("\\|");
      int underscore = fields[0].indexOf('_');
      if (fields.length != 2 || underscore < 0) {
        continue; // a plain job, not an array task: not one of ours
      }
      String index = fields[0].substring(underscore + 1);
      if (!index.matches("\\d+")) {
        continue; // "12_[3-5]": squeue -r expands these; never seen, but never misread either
      }
      tasks.add(new TaskState(fields[0].substring(0, underscore), Integer.parseInt(index),
          fields[1]));
    }
    return tasks;
  }

  /** The state of each array task, keyed {@code jobId_index}. */
  public Map<String, String> states(List<String> jobNames) {
    Map<String, String> states = new LinkedHashMap<>();
    for (TaskState task : queue(jobNames)) {
      states.put(task.jobId() + "_" + task.arrayIndex(), task.state());
    }
    return states;
  }

  private String executable(String name) {
    if (binDir != null) {
      return binDir.resolve(name).toString();
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    throw new SlurmException(name + " not found on the PATH: submit from a machine where Slurm's "
        + "commands work (a login node), or load its module first");
  }

  private static String run(List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new SlurmException("could not start " + command.get(0) + ": " + e.getMessage(), e);
    }
    try {
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new SlurmException(Path.of(command.get(0)).getFileName() + " did not answer in "
            + TIMEOUT_SECONDS + " s");
      }
      String text = new String(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        String firstLine = text.strip().lines().findFirst().orElse("(no output)");
        throw new SlurmException(Path.of(command.get(0)).getFileName() + " failed (exit "
            + process.exitValue() + "): " + firstLine);
      }
      return text;
    } catch (IOException e) {
      throw new SlurmException("could not read the output of " + command.get(0) + ": "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new SlurmException("interrupted while waiting for " + command.get(0), e);
    }
  }
}
