package io.dnalab.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code bin/dnalab bench NAME}: each benchmark runs dnalab and its peer side by side in one
 * process tree, prints a table a person can read (with the command that produced it) and the
 * ratio that the goal is stated in.
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
      PretrainObjectivesBench.class,
      PretrainGainBench.class,
    })
public final class BenchCli implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchCli()).execute(args));
  }
}
