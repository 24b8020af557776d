package io.dnalab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The Java side of {@code bin/dnalab}: every subcommand that runs on the JVM (data checks,
 * tokenizers, experiments from JSON, benchmarks). {@code bin/dnalab} itself handles setup, reports
 * and tests.
 */
@Command(
    name = "dnalab",
    mixinStandardHelpOptions = true,
    versionProvider = DnalabCli.Version.class,
    description = "Controlled experiments on DNA language models.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DataCommand.class,
      TokenizerCommand.class,
      RunCommand.class,
      ResultsCommand.class,
    })
public final class DnalabCli implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new DnalabCli());
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DnalabCli.class.getPackage().getImplementationVersion();
      return new String[] {"dnalab " + (v == null ? "(development build)" : v)};
    }
  }
}
