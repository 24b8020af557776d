package io.dnalab.cli;

import static io.dnalab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.dnalab.experiment.SavedModel;
import io.dnalab.result.Predictions;
import io.dnalab.store.ResultStore;
import io.dnalab.store.StoredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code finetune { saveModel() }} keeps a run's model; {@code dnalab predict} scores sequences
 * with it: on the run's own test split it gives the probabilities the run stored.
 */
class PredictCommandTest {
  @TempDir
  Path dir;

  private String previousCache;

  @BeforeEach
  void ownCache() {
    // the artifact store (where models are kept) lives in the cache folder
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

  /**
   * {@code count} records {@code id,sequence,label} of 30 to 50 random bases (variable lengths:
   * batches are padded and masked); class 1 holds GGGGGG.
   */
  private static void writeSplit(Path file, String prefix, int count, long seed)
      throws Exception {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("id,sequence,label\n");
    for (int i = 0; i < count; i++) {
      StringBuilder sequence = new StringBuilder();
      int length = 30 + random.nextInt(21);
      for (int b = 0; b < length; b++) {
        sequence.append("ACGT".charAt(random.nextInt(4)));
      }
      int label = random.nextInt(2);
      if (label == 1) {
        sequence.replace(10, 16, "GGGGGG");
      }
      csv.append(prefix).append(i).append(',').append(sequence).append(',').append(label)
          .append('\n');
    }
    Files.writeString(file, csv);
  }

  private Path spec(Path task, int seeds, boolean saveModel) throws Exception {
    Path spec = dir.resolve("spec-" + seeds + "-" + saveModel + ".json");
    Files.writeString(spec, """
        {"name": "keep", "seeds": %d,
         "tasks": [{"type": "local", "folder": "%s"}],
         "tokenizers": [{"type": "kmer", "k": 3, "overlapping": false}],
         "models": [{"type": "bert", "layers": 1, "hidden": 32, "heads": 2, "intermediate": 64,
                     "dropout": 0.0, "preNorm": false, "pooling": "AUTO", "tiedHead": true}],
         "pretraining": [{"type": "none"}],
         "finetune": {"epochs": 1, "learningRate": 0.003, "batchSize": 16, "weightDecay": 0.1,
                      "saveModel": %s}}
        """.formatted(seeds, task.toString().replace("\\", "\\\\"), saveModel));
    return spec;
  }

  @Test
  void predictsARunsOwnTestSetAsTheRunScoredItAndSaysWhatIsWrong() throws Exception {
    Path task = Files.createDirectories(dir.resolve("task"));
    writeSplit(task.resolve("train.csv"), "tr", 96, 1);
    writeSplit(task.resolve("dev.csv"), "dv", 24, 2);
    writeSplit(task.resolve("test.csv"), "te", 37, 3);
    Path results = dir.resolve("results.sqlite");

    // seed 1 without saving: cached afterwards, with no model
    CliRun first = run("run", spec(task, 1, false).toString(), "--results", results.toString(),
        "--quiet");
    assertThat(first.exitCode()).as(first.err()).isZero();
    String seed1 = onlyKey(results);
    CliRun noModel = run("predict", "--run", seed1, "--results", results.toString(),
        task.resolve("test.csv").toString());
    assertThat(noModel.exitCode()).isEqualTo(CliErrors.USER_ERROR);
    assertThat(noModel.err()).contains("run " + seed1 + " has no saved model: add saveModel()");

    // seeds 1 and 2 with saving: seed 1 runs again for its model (same key: saving is not part
    // of it), seed 2 runs for the first time
    CliRun second = run("run", spec(task, 2, true).toString(), "--results", results.toString(),
        "--quiet");
    assertThat(second.exitCode()).as(second.err()).isZero();
    List<StoredRun> runs;
    try (ResultStore store = ResultStore.open(results)) {
      runs = store.all().stream().sorted(Comparator.comparingLong(r -> r.result().seed()))
          .toList();
    }
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).key()).isEqualTo(seed1);
    for (StoredRun stored : runs) {
      assertThat(dir.resolve("cache/artifacts").resolve(SavedModel.KIND).resolve(stored.key())
          .resolve(SavedModel.PARAMETERS_FILE)).isRegularFile();
    }

    // the run's own test split, through the CLI, with a 12-digit prefix of the key
    StoredRun stored = runs.get(1);
    Predictions test;
    try (ResultStore store = ResultStore.open(results)) {
      test = store.predictions(stored.key()).get(1);
    }
    Path out = dir.resolve("scored.csv");
    CliRun predicted = run("predict", "--run", stored.key().substring(0, 12), "--results",
        results.toString(), "--out", out.toString(), task.resolve("test.csv").toString());
    assertThat(predicted.exitCode()).as(predicted.err()).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines.get(0)).isEqualTo("id,length,predicted,p_0,p_1");
    assertThat(lines).hasSize(1 + 37);
    List<String> sequences = Files.readAllLines(task.resolve("test.csv")).subList(1, 38);
    for (int i = 0; i < 37; i++) {
      String[] row = lines.get(i + 1).split(",");
      assertThat(row).hasSize(5);
      assertThat(row[0]).isEqualTo(test.sequenceIds().get(i)).isEqualTo("te" + i);
      assertThat(Integer.parseInt(row[1])).isEqualTo(sequences.get(i).split(",")[1].length());
      assertThat(Integer.parseInt(row[2])).isEqualTo(test.predicted()[i]);
      for (int k = 0; k < 2; k++) {
        // same computation on the same device; 1e-6 leaves room for nothing but rounding
        assertThat(Float.parseFloat(row[3 + k])).as("row %d class %d", i, k)
            .isCloseTo(test.probabilities()[i][k], offset(1e-6f));
      }
    }

    // errors: one line each
    CliRun unknown = run("predict", "--run", "abc123", "--results", results.toString(),
        task.resolve("test.csv").toString());
    assertThat(unknown.exitCode()).isEqualTo(CliErrors.USER_ERROR);
    assertThat(unknown.err()).contains("no run with key abc123 in " + results);
    Path bad = Files.writeString(dir.resolve("bad.csv"), "id,sequence\na,ACGT\nb,ACXT\n");
    CliRun badInput = run("predict", "--run", stored.key(), "--results", results.toString(),
        bad.toString());
    assertThat(badInput.exitCode()).isEqualTo(CliErrors.USER_ERROR);
    assertThat(badInput.err()).contains(bad + ":3:").contains("ACXT");
    Path tooLong = Files.writeString(dir.resolve("long.fa"), ">long\n" + "A".repeat(400) + "\n");
    CliRun longInput = run("predict", "--run", stored.key(), "--results", results.toString(),
        tooLong.toString());
    assertThat(longInput.exitCode()).isEqualTo(CliErrors.USER_ERROR);
    assertThat(longInput.err()).contains(tooLong + ": long: 400 bases encode to");
  }

  private static String onlyKey(Path results) {
    try (ResultStore store = ResultStore.open(results)) {
      List<StoredRun> all = store.all();
      assertThat(all).hasSize(1);
      return all.get(0).key();
    }
  }
}
