package io.dnalab.bench;

import io.dnalab.cli.CliErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * {@code bin/dnalab bench NAME}: each benchmark runs dnalab and its peer side by side in one
 * process tree, prints a table a person can read (with the command that produced it) and the
 * ratio that the goal is stated in. Errors read as in every dnalab command ({@link CliErrors}):
 * one line, no stack trace unless {@code --debug}.
 */
@Command(
    name = "dnalab bench",
    mixinStandardHelpOptions = true,
    description = "Side-by-side benchmarks against peers and published results.",
    subcommands = {
      CommandLine.HelpCommand.class,
      TokenizerBench.class,
      FinetuneBench.class,
      ConvNovaSpeedBench.class,
      BertSpeedBench.class,
      Dnabert2SpeedBench.class,
      PretrainObjectivesBench.class,
      PretrainGainBench.class,
    })
public final class BenchCli implements Runnable {
  /** Read by {@link CliErrors}; every benchmark inherits it. */
  @Option(names = CliErrors.DEBUG_OPTION, scope = ScopeType.INHERIT,
      description = "on an error, print the stack trace too")
  boolean debug;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(CliErrors.install(new CommandLine(new BenchCli())).execute(args));
  }
}
