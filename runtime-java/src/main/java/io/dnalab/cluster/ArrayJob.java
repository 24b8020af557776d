package io.dnalab.cluster;

import java.util.List;

/**
 * One Slurm job array: task {@code i} runs {@code command} for {@code keys.get(i)}.
 *
 * @param name the array's name within its submission ({@code tokenizer}, {@code pretrain},
 *     {@code finetune}): the file names and the job name derive from it
 * @param jobName Slurm's {@code --job-name}; {@code squeue} finds the arrays by it
 * @param description one line for the script's header, for people
 * @param keys one work item per array task, in task order
 * @param command the argv run for a task, where the word {@link #KEY} stands for its key
 * @param environment {@code NAME=value} lines exported before the command
 * @param dependsOn job ids that must all finish successfully first ({@code afterok})
 */
public record ArrayJob(String name, String jobName, String description, List<String> keys,
    List<String> command, List<String> environment, List<String> dependsOn) {

  /** Replaced by the array task's key in {@link #command}. */
  public static final String KEY = "{key}";

  public ArrayJob {
    keys = List.copyOf(keys);
    command = List.copyOf(command);
    environment = List.copyOf(environment);
    dependsOn = List.copyOf(dependsOn);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("an array job needs at least one key: " + name);
    }
    if (!command.contains(KEY)) {
      throw new IllegalArgumentException("the command of array " + name + " never names " + KEY);
    }
  }
}
