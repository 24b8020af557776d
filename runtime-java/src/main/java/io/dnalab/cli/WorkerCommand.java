package io.dnalab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that starts dnalab's CLI in a fresh JVM exactly as this one was started: the same
 * {@code java}, class path and memory settings. Workers on this machine and Slurm tasks on a node
 * of the same shared filesystem run it, so they run the code that planned their stage.
 */
final class WorkerCommand {
  private WorkerCommand() {
  }

  static List<String> current() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // -Xmx and friends, as bin/dnalab passed them ($DNALAB_JAVA_OPTS); not the agent flags a
    // debugger or a test runner adds.
    for (String option : java.lang.management.ManagementFactory.getRuntimeMXBean()
        .getInputArguments()) {
      if (option.startsWith("-Xm") || option.startsWith("-Xss")
          || option.startsWith("-Ddnalab.") || option.startsWith("-Djava.library.path")) {
        command.add(option);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DnalabCli.class.getName());
    return command;
  }
}
