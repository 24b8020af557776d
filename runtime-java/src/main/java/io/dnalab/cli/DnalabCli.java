package io.dnalab.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The Java side of {@code bin/dnalab}: every subcommand that runs on the JVM (data checks,
 * tokenizers, experiments from JSON, benchmarks). {@code bin/dnalab} itself handles setup, reports
 * and tests. Errors are reported by {@link CliErrors}: one line, no stack trace unless
 * {@code --debug}.
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
      EmbedCommand.class,
      PredictCommand.class,
      SubmitCommand.class,
      StatusCommand.class,
    })
public final class DnalabCli implements Runnable {
  /**
   * Read by {@link CliErrors} from the parse result; every subcommand inherits it, so it may be
   * given anywhere on the command line.
   */
  @Option(names = CliErrors.DEBUG_OPTION, scope = ScopeType.INHERIT,
      description = "on an error, print the stack trace too")
  boolean debug;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    quietLogging();
    System.exit(commandLine().execute(args));
  }

  /**
   * Libraries (DJL) log through SLF4J, bound to slf4j-simple on the command line's classpath:
   * warnings and errors only, on stderr, unless the user sets the level
   * ({@code DNALAB_JAVA_OPTS=-Dorg.slf4j.simpleLogger.defaultLogLevel=info}). Must run before the
   * first logger is created.
   */
  static void quietLogging() {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    // DJL probes CUDA on every engine start and warns twice where CUDA libraries exist without a
    // usable driver, even for the CPU build; --device gpu then fails with its own message that
    // says which driver is needed.
    setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  /** The configured command line, shared by {@link #main} and tests. */
  public static CommandLine commandLine() {
    return CliErrors.install(new CommandLine(new DnalabCli()));
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DnalabCli.class.getPackage().getImplementationVersion();
      return new String[] {"dnalab " + (v == null ? "(development build)" : v)};
    }
  }
}
