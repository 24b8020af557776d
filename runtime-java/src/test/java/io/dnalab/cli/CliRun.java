package io.dnalab.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the dnalab CLI: its exit status, and what it wrote to stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

  /** Runs {@code dnalab ARGS} through the same command line {@code DnalabCli.main} builds. */
  static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = DnalabCli.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
