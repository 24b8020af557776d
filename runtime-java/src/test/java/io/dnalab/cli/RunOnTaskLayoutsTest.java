package io.dnalab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dnalab run} on a spec whose local task is a Genomic Benchmarks folder. */
class RunOnTaskLayoutsTest {

  @Test
  void trainsOnAGenomicBenchmarksFolder(@TempDir Path dir) throws Exception {
    Path folder = DataCheckTaskLayoutsTest.FIXTURES.resolve("gb_layout_demo").toAbsolutePath();
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, """
        {"name": "layouts", "seeds": 1,
         "tasks": [{"type": "local", "folder": "%s"}],
         "tokenizers": [{"type": "nucleotide"}],
         "models": [{"type": "convnova", "width": 16, "kernelSize": 5, "blocks": 2,
                     "dilationBase": 4, "headFactor": 2, "feedForward": false}],
         "pretraining": [{"type": "none"}],
         "finetune": {"epochs": 1, "learningRate": 0.003, "batchSize": 16, "weightDecay": 0.1}}
        """.formatted(folder.toString().replace("\\", "\\\\")));
    Path csv = dir.resolve("out.csv");
    int exit = DnalabCli.commandLine().execute("run", spec.toString(), "--out", csv.toString(),
        "--results", dir.resolve("results.sqlite").toString(), "--quiet");
    assertThat(exit).isEqualTo(0);
    List<String> rows = Files.readAllLines(csv);
    assertThat(rows).hasSize(2);
    assertThat(rows.get(1)).startsWith("layouts,local/gb_layout_demo,nucleotide,convnova-d16-k5,"
        + "none,1,");
  }
}
