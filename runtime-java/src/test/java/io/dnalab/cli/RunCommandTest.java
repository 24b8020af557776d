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
    SequenceTask task = SyntheticTasks.motifs(2, 96, 48, 48, 40, 40, 3);
    Path folder = dir.resolve("motif");
    Files.createDirectories(folder);
    write(folder.resolve("train.csv"), task.train());
    write(folder.resolve("dev.csv"), task.dev());
    write(folder.resolve("test.csv"), task.test());
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, """
        {"name": "cli", "seeds": 1,
         "tasks": [{"type": "local", "folder": "%s"}],
         "tokenizers": [{"type": "nucleotide"}],
         "models": [{"type": "convnova", "width": 16, "kernelSize": 5, "blocks": 2,
                     "dilationBase": 4, "headFactor": 2, "feedForward": false}],
         "pretraining": [{"type": "none"}],
         "finetune": {"epochs": 1, "learningRate": 0.001, "batchSize": 32, "weightDecay": 0.1}}
        """.formatted(folder.toString().replace("\\", "\\\\")));
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

  private static void write(Path file, List<LabeledSequence> examples) throws Exception {
    StringBuilder sb = new StringBuilder("sequence,label\n");
    for (LabeledSequence example : examples) {
      sb.append(example.sequence()).append(',').append(example.label()).append('\n');
    }
    Files.writeString(file, sb.toString());
  }
}
