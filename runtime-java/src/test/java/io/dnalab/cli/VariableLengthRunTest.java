package io.dnalab.cli;

import static io.dnalab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local task whose sequences are 60 to 140 bases long ({@code variable_length_demo}: 120
 * train, 40 dev, 40 test records, label 1 holds the motif GGGCGGGG at a random place, label 0
 * is uniform random; the first two records of each split are 60 and 140 bases, the others drawn
 * uniformly in between; made by a seeded Python script, {@code random.Random(14)}) is checked and
 * trained through {@code dnalab run}, in process.
 */
class VariableLengthRunTest {
  private static final Path TASK = DataCheckTaskLayoutsTest.FIXTURES
      .resolve("variable_length_demo").toAbsolutePath();

  @TempDir
  Path dir;

  private Path spec(String task) throws Exception {
    Path spec = dir.resolve("spec.json");
    Files.writeString(spec, """
        {"name": "variable", "seeds": 1,
         "tasks": [%s],
         "tokenizers": [{"type": "nucleotide"}, {"type": "kmer", "k": 3, "overlapping": false}],
         "models": [{"type": "convnova", "width": 16, "kernelSize": 5, "blocks": 2,
                     "dilationBase": 4, "headFactor": 2, "feedForward": false},
                    {"type": "cnn"},
                    {"type": "bert", "layers": 1, "hidden": 32, "heads": 2, "intermediate": 64,
                     "dropout": 0.0, "preNorm": false, "pooling": "AUTO", "tiedHead": true}],
         "pretraining": [{"type": "none"}],
         "finetune": {"epochs": 1, "learningRate": 0.003, "batchSize": 16, "weightDecay": 0.1},
         "exclude": [{"tokenizers": [{"type": "kmer", "k": 3, "overlapping": false}],
                      "models": [{"type": "cnn"}]}]}
        """.formatted(task));
    return spec;
  }

  private static String local(String extra) {
    return "{\"type\": \"local\", \"folder\": \"" + TASK.toString().replace("\\", "\\\\") + "\""
        + extra + "}";
  }

  @Test
  void dataCheckShowsTheLengthRange() {
    CliRun check = run("data", "check", TASK.toString(), "--cache", dir.toString());
    assertThat(check.exitCode()).as(check.err()).isZero();
    assertThat(check.out())
        .contains("lengths   60..140 bp (variable: batches are padded to their longest sequence"
            + " and masked)")
        .containsPattern("(?m)^train +120  \\[60, 60\\] +60/\\d+/140 ")
        .containsPattern("(?m)^test +40  \\[20, 20\\] +60/\\d+/140 ");
  }

  @Test
  void everyFamilyTrainsOnVariableLengthsThroughRun() throws Exception {
    Path csv = dir.resolve("out.csv");
    CliRun result = run("run", spec(local("")).toString(), "--out", csv.toString(),
        "--results", dir.resolve("results.sqlite").toString(), "--quiet");
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> rows = Files.readAllLines(csv);
    rows.forEach(System.out::println); // the runs' metrics, for the record
    // nucleotide × {convnova, cnn, bert} + kmer × {convnova, bert}, one seed each
    assertThat(rows).hasSize(1 + 5);
    assertThat(rows.subList(1, rows.size())).allSatisfy(row ->
        assertThat(row).startsWith("variable,local/variable_length_demo,"));
    assertThat(rows).anySatisfy(row -> assertThat(row).contains(",3mer,bert-1x32,"));
    assertThat(rows).anySatisfy(row -> assertThat(row).contains(",nucleotide,cnn-baseline,"));
  }

  @Test
  void aMaxLengthBelowTheLongestSequenceIsRefusedNamingFileLineAndLength() throws Exception {
    CliRun result = run("run", spec(local(", \"maxLength\": 139")).toString(), "--out",
        dir.resolve("out.csv").toString(), "--results",
        dir.resolve("results.sqlite").toString(), "--quiet");
    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains(TASK.resolve("train.csv") + ":3:1: sequence length 140 is"
        + " longer than the task's maxLength of 139 bases");
  }
}
