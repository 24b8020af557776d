package io.dnalab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.data.LabeledSequence;
import io.dnalab.data.SequenceTask;
import io.dnalab.train.SyntheticTasks;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {

  @Test
  void runsAJsonSpecOnALocalTaskAndWritesCsv(@TempDir Path dir) throws Exception {
    Path spec = motifSpec(dir, "cli", 1);
    Path csv = dir.resolve("out.csv");
    // A store of its own: with the default one a second test run would only read the row back.
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      exit = DnalabCli.commandLine().execute("run", spec.toString(), "--out", csv.toString(),
          "--results", dir.resolve("results.sqlite").toString(), "--quiet");
    } finally {
      System.setOut(original);
    }
    assertThat(exit).isEqualTo(0);
    // Each finished stage names the device it ran on (a CUDA build that fell back to the CPU shows).
    assertThat(stdout.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("done ")))
        .singleElement().asString()
        .containsPattern(" on PyTorch \\S+ (cpu\\(\\)|gpu\\(\\d+\\)); \\d+ intra-op threads? ");
    List<String> rows = Files.readAllLines(csv);
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1)).startsWith("cli,local/motif,nucleotide,convnova-d16-k5,none,1,");
  }

  /**
   * {@code run --stage KEY} is how a worker runs a stage: exactly that stage, published as a result
   * file in the artifact store; the shared result store is not written (not even created). Then
   * {@code results import} makes it a row, once however often it is called.
   */
  @Test
  void aStageRunsAloneAndPublishesItsResultFileWhichResultsImportRecordsOnce(@TempDir Path dir)
      throws Exception {
    Path spec = motifSpec(dir, "worker", 2);
    Path store = dir.resolve("results.sqlite");
    String previousCache = System.getProperty("dnalab.cache");
    System.setProperty("dnalab.cache", dir.resolve("cache").toString());
    try {
      CliRun plan = captured(() -> CliRun.run("run", spec.toString(), "--plan", "--results",
          dir.resolve("planning.sqlite").toString()));
      List<String> keys = plan.out().lines().filter(l -> l.startsWith("todo"))
          .map(l -> l.split("\\s+")[2]).toList();
      assertThat(keys).hasSize(2);

      CliRun bad = CliRun.run("run", spec.toString(), "--stage", "0123456789ab");
      assertThat(bad.exitCode()).isEqualTo(2);
      assertThat(bad.err()).contains("no stage has the key 0123456789ab");
      assertThat(CliRun.run("run", spec.toString(), "--jobs", "0").err())
          .contains("--jobs must be a whole number >= 1 or auto, got \"0\"");

      CliRun worker = captured(() -> CliRun.run("run", spec.toString(), "--stage", keys.get(1),
          "--quiet", "--results", store.toString()));
      assertThat(worker.exitCode()).as(worker.err()).isZero();
      assertThat(worker.out().lines().filter(l -> l.startsWith("done ")))
          .singleElement().asString().contains("seed 2");
      assertThat(store).as("a worker never writes the shared store").doesNotExist();
      Path files = dir.resolve("cache").resolve("artifacts").resolve("results");
      try (var published = Files.list(files)) {
        assertThat(published.map(p -> p.getFileName().toString()).toList()).singleElement()
            .asString().startsWith(keys.get(1)).endsWith(".json");
      }
      for (int i = 0; i < 2; i++) {
        CliRun imported = captured(() -> CliRun.run("results", "import", "--store",
            store.toString()));
        assertThat(imported.exitCode()).isZero();
        assertThat(imported.out()).contains("imported " + (i == 0 ? 1 : 0)
            + " new runs of 1 result files").contains("(1 rows now)");
      }
    } finally {
      if (previousCache == null) {
        System.clearProperty("dnalab.cache");
      } else {
        System.setProperty("dnalab.cache", previousCache);
      }
    }
  }

  /** RunCommand prints its table to System.out: captured here with the CLI's own output. */
  private static CliRun captured(java.util.function.Supplier<CliRun> call) {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream original = System.out;
    CliRun run;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      run = call.get();
    } finally {
      System.setOut(original);
    }
    return new CliRun(run.exitCode(), run.out() + stdout.toString(StandardCharsets.UTF_8),
        run.err());
  }

  private static void write(Path file, List<LabeledSequence> examples) throws Exception {
    StringBuilder sb = new StringBuilder("sequence,label\n");
    for (LabeledSequence example : examples) {
      sb.append(example.sequence()).append(',').append(example.label()).append('\n');
    }
    Files.writeString(file, sb.toString());
  }

  /**
   * A two-class motif task written as a local CSV folder under {@code dir}, and a spec that
   * fine-tunes a small ConvNova on it for one epoch; returns the spec file.
   */
  private static Path motifSpec(Path dir, String name, int seeds) throws Exception {
    SequenceTask task = SyntheticTasks.motifs(2, 96, 48, 48, 40, 40, 3);
    Path folder = dir.resolve("motif");
    Files.createDirectories(folder);
    write(folder.resolve("train.csv"), task.train());
    write(folder.resolve("dev.csv"), task.dev());
    write(folder.resolve("test.csv"), task.test());
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, """
        {"name": "%s", "seeds": %d,
         "tasks": [{"type": "local", "folder": "%s"}],
         "tokenizers": [{"type": "nucleotide"}],
         "models": [{"type": "convnova", "width": 16, "kernelSize": 5, "blocks": 2,
                     "dilationBase": 4, "headFactor": 2, "feedForward": false}],
         "pretraining": [{"type": "none"}],
         "finetune": {"epochs": 1, "learningRate": 0.001, "batchSize": 32, "weightDecay": 0.1}}
        """.formatted(name, seeds, folder.toString().replace("\\", "\\\\")));
    return spec;
  }
}
