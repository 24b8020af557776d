package io.dnalab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code dnalab data ...}: validate data sets and build tasks from annotated genomes. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Validate data sets, build tasks from annotated genomes, screen a corpus for task"
        + " sequences.",
    subcommands = {DataCheckCommand.class, DataBuildTaskCommand.class, DataLeakageCommand.class})
public final class DataCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
