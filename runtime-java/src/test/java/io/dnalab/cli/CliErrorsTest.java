package io.dnalab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Every kind of user error, through the command line as a user meets it: exactly one line on
 * stderr that names the file, line or value, exit status 2 (1 for {@code data check}'s invalid
 * data, as documented), no stack trace and no SLF4J noise; anything else exits 1 and points at
 * {@code --debug}, which prints the trace.
 */
class CliErrorsTest {
  @TempDir Path dir;
  private String previousCache;

  record Run(int exitCode, String out, String err) {
    /** The single line on stderr, after checking that there is exactly one and no trace. */
    String oneLine() {
      assertThat(err.lines().toList()).as("stderr:\n%s", err).hasSize(1);
      assertThat(err).doesNotContain("at io.dnalab", "\tat ", "Caused by", "SLF4J");
      return err.lines().findFirst().orElseThrow();
    }
  }

  /** The run command opens the default artifact store and catalog cache: keep them in dir. */
  @BeforeEach
  void cacheInTempDir() {
    previousCache = System.getProperty("dnalab.cache");
    System.setProperty("dnalab.cache", dir.resolve("cache").toString());
  }

  @AfterEach
  void restoreCache() {
    if (previousCache == null) {
      System.clearProperty("dnalab.cache");
    } else {
      System.setProperty("dnalab.cache", previousCache);
    }
  }

  private static Run run(String... args) {
    return run(DnalabCli.commandLine(), args);
  }

  private static Run run(CommandLine cli, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** A spec with one task and the smallest model; {@code task} is its JSON. */
  private Path spec(String task) throws IOException {
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, """
        {"name": "errors", "seeds": 1,
         "tasks": [%s],
         "tokenizers": [{"type": "nucleotide"}],
         "models": [{"type": "cnn"}],
         "pretraining": [{"type": "none"}],
         "finetune": {"epochs": 1, "learningRate": 0.001, "batchSize": 32, "weightDecay": 0.1}}
        """.formatted(task));
    return spec;
  }

  private String results() {
    return dir.resolve("results.sqlite").toString();
  }

  @Test
  void aBadSpecNamesFileLineColumnAndValue() throws Exception {
    Path spec = dir.resolve("bad.json");
    Files.writeString(spec, "{\"name\": \"x\",\n \"seeds\": \"three\"}");
    Run run = run("run", spec.toString(), "--results", results());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.oneLine()).isEqualTo("dnalab run: " + spec + ":2:11: Cannot deserialize "
        + "value of type `int` from String \"three\": not a valid `int` value");
  }

  @Test
  void anUnknownTaskNamesTheSpecFileAndTheTask() throws Exception {
    Path spec = spec("{\"type\": \"builtin\", \"name\": \"nope\"}");
    Run run = run("run", spec.toString(), "--results", results());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.oneLine()).startsWith("dnalab run: " + spec + ": builtin/nope: unknown "
        + "builtin task 'nope'; the catalog has: [");
  }

  @Test
  void badDataNameFileLineColumnAndValue() throws Exception {
    Path task = dir.resolve("task");
    Files.createDirectories(task);
    Files.writeString(task.resolve("train.csv"), "sequence,label\nACGT,0\nACRT,1\n");
    Files.writeString(task.resolve("dev.csv"), "sequence,label\nACGT,0\n");
    Files.writeString(task.resolve("test.csv"), "sequence,label\nACGT,1\n");
    String message = task.resolve("train.csv") + ":3:3: IUPAC ambiguity code 'R' at base 3 is "
        + "not accepted (only A, C, G, T, N); replace it with N or drop the record (value "
        + "\"ACRT\")";

    // Read when the fine-tuning stage loads the task; the run's own progress lines go to
    // System.err, the error to the command line's stderr.
    Run inRun = run("run", spec("{\"type\": \"local\", \"folder\": \"" + task + "\"}").toString(),
        "--results", results(), "--quiet");
    assertThat(inRun.exitCode()).isEqualTo(2);
    assertThat(inRun.oneLine()).isEqualTo("dnalab run: " + message);

    Run check = run("data", "check", task.toString());
    assertThat(check.exitCode()).as("data check's documented status for invalid data")
        .isEqualTo(1);
    assertThat(check.oneLine()).isEqualTo("dnalab data check: " + message);
  }

  @Test
  void anUnreadableStoreIsNamed() throws Exception {
    Path garbage = dir.resolve("garbage.sqlite");
    Files.writeString(garbage, "not a database, just text\n");
    Run results = run("results", "--store", garbage.toString());
    assertThat(results.exitCode()).isEqualTo(2);
    assertThat(results.oneLine()).startsWith("dnalab results: " + garbage
        + ": cannot open the result store: [SQLITE_NOTADB]");

    Run inRun = run("run", spec("{\"type\": \"builtin\", \"name\": \"nope\"}").toString(),
        "--results", garbage.toString());
    assertThat(inRun.exitCode()).isEqualTo(2);
    assertThat(inRun.oneLine()).startsWith("dnalab run: " + garbage
        + ": cannot open the result store: [SQLITE_NOTADB]");

    Run missing = run("results", "--store", dir.resolve("nope.sqlite").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.oneLine()).isEqualTo("dnalab results: no result store at "
        + dir.resolve("nope.sqlite"));
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("missing.json");
    Run spec = run("run", missing.toString());
    assertThat(spec.exitCode()).isEqualTo(2);
    assertThat(spec.oneLine()).isEqualTo("dnalab run: no such spec file: " + missing);

    Run tokenizer = run("tokenizer", "encode", "--tokenizer", missing.toString(), "--out",
        dir.resolve("ids.bin").toString(), dir.resolve("in.fa").toString());
    assertThat(tokenizer.exitCode()).isEqualTo(2);
    assertThat(tokenizer.oneLine()).isEqualTo("dnalab tokenizer encode: " + missing
        + ": no such file");

    Path genome = dir.resolve("missing.gbk");
    Run build = run("data", "build-task", "--genome", genome.toString(), "--name", "x", "--out",
        dir.resolve("out").toString());
    assertThat(build.exitCode()).isEqualTo(2);
    assertThat(build.oneLine()).isEqualTo("dnalab data build-task: " + genome
        + ": file not found");
  }

  @Test
  void aBadFlagIsOneLineWithoutTheUsageScreen() throws Exception {
    String spec = spec("{\"type\": \"builtin\", \"name\": \"nope\"}").toString();
    Run unknown = run("run", spec, "--bogus");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.oneLine()).isEqualTo("dnalab run: Unknown option: '--bogus' (see dnalab "
        + "run --help)");

    Run misspelt = run("run", spec, "--result", results());
    assertThat(misspelt.exitCode()).isEqualTo(2);
    assertThat(misspelt.oneLine()).contains("did you mean --results?");

    Run notAnInt = run("run", spec, "--threads", "x");
    assertThat(notAnInt.exitCode()).isEqualTo(2);
    assertThat(notAnInt.oneLine()).isEqualTo("dnalab run: Invalid value for option '--threads':"
        + " 'x' is not an int (see dnalab run --help)");

    Run device = run("run", spec, "--device", "tpu", "--results", results());
    assertThat(device.exitCode()).isEqualTo(2);
    assertThat(device.oneLine()).isEqualTo("dnalab run: device must be one of auto, cpu, gpu; "
        + "got \"tpu\"");

    Run noSpec = run("run");
    assertThat(noSpec.exitCode()).isEqualTo(2);
    assertThat(noSpec.oneLine()).isEqualTo("dnalab run: Missing required parameter: "
        + "'SPEC.json' (see dnalab run --help)");

    Run kind = run("data", "build-task", "--genome", "g.gbk", "--kind", "exons", "--name", "x",
        "--out", dir.resolve("out").toString());
    assertThat(kind.exitCode()).isEqualTo(2);
    assertThat(kind.oneLine()).isEqualTo("dnalab data build-task: unknown task kind 'exons', "
        + "expected one of [coding-vs-intergenic, promoter-vs-background]");
  }

  @Test
  void debugPrintsTheStackTraceAfterTheMessageWhereverItIsGiven() throws Exception {
    String spec = spec("{\"type\": \"builtin\", \"name\": \"nope\"}").toString();
    for (List<String> args : List.of(List.of("run", spec, "--results", results(), "--debug"),
        List.of("--debug", "run", spec, "--results", results()))) {
      Run run = run(args.toArray(String[]::new));
      assertThat(run.exitCode()).as("%s", args).isEqualTo(2);
      assertThat(run.err()).as("%s", args)
          .startsWith("dnalab run: " + spec + ": builtin/nope: unknown builtin task 'nope'")
          .contains("\tat io.dnalab.cli.RunCommand.call(")
          .contains("Caused by: io.dnalab.data.DataFormatException: builtin/nope");
    }
  }

  /** Stands for a bug: what it throws is not the user's doing. */
  @Command(name = "broken")
  static final class Broken implements Callable<Integer> {
    @Option(names = CliErrors.DEBUG_OPTION)
    boolean debug;

    @Option(names = "--number")
    String number = "12";

    @Override
    public Integer call() {
      // An IllegalArgumentException from outside dnalab (here NumberFormatException from the
      // JDK) is a bug of ours too: only dnalab's own validation speaks to the user that way.
      Integer.parseInt(number);
      throw new IllegalStateException("an invariant broke");
    }
  }

  @Test
  void anythingElseExitsOneAndPointsAtDebug() {
    Run bug = run(CliErrors.install(new CommandLine(new Broken())));
    assertThat(bug.exitCode()).isEqualTo(1);
    assertThat(bug.oneLine()).isEqualTo("broken: unexpected error: IllegalStateException: an "
        + "invariant broke (run with --debug for the stack trace)");

    Run library = run(CliErrors.install(new CommandLine(new Broken())), "--number", "x");
    assertThat(library.exitCode()).isEqualTo(1);
    assertThat(library.oneLine()).startsWith("broken: unexpected error: NumberFormatException:");

    Run debug = run(CliErrors.install(new CommandLine(new Broken())), "--debug");
    assertThat(debug.exitCode()).isEqualTo(1);
    assertThat(debug.err()).startsWith("broken: unexpected error: IllegalStateException: an "
        + "invariant broke\njava.lang.IllegalStateException: an invariant broke\n")
        .contains("\tat io.dnalab.cli.CliErrorsTest$Broken.call(");
  }

  @Test
  void aUserErrorIsFoundUnderTheExceptionsThatCarryIt() {
    assertThat(CliErrors.userMessage(new UncheckedIOException(new NoSuchFileException("x.fa"))))
        .hasValue("no such file: x.fa");
    assertThat(CliErrors.userMessage(new UncheckedIOException("cannot create the folder of "
        + "a/b.sqlite: a", new java.nio.file.AccessDeniedException("a"))))
        .hasValue("cannot create the folder of a/b.sqlite: a");
    assertThat(CliErrors.userMessage(new IllegalStateException("wrapped",
        new CliErrors.UserError("the user's")))).hasValue("the user's");
    assertThat(CliErrors.userMessage(new IllegalStateException("no user error here",
        new ArithmeticException("/ by zero")))).isEmpty();
  }

  /**
   * The real process, as bin/dnalab starts it (same main class, this test's classpath): the exit
   * status reaches the shell, and the SLF4J binding is found and quiet.
   */
  @Test
  void aProcessGetsOneLineAndTheExitStatus() throws Exception {
    Path spec = spec("{\"type\": \"builtin\", \"name\": \"nope\"}");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        DnalabCli.class.getName(), "run", spec.toString(), "--results", results());
    builder.environment().put("DNALAB_CACHE", dir.resolve("cache").toString());
    builder.redirectOutput(dir.resolve("out.txt").toFile());
    builder.redirectError(dir.resolve("err.txt").toFile());
    Process process = builder.start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
    Run run = new Run(process.exitValue(), Files.readString(dir.resolve("out.txt")),
        Files.readString(dir.resolve("err.txt")));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
    assertThat(run.oneLine()).startsWith("dnalab run: " + spec + ": builtin/nope: unknown "
        + "builtin task 'nope'");
    assertThat(run.out()).isEmpty();
  }
}
