package io.dnalab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.result.MetricSet;
import io.dnalab.result.Predictions;
import io.dnalab.result.Provenance;
import io.dnalab.result.RunResult;
import io.dnalab.store.ResultStore;
import io.dnalab.store.StoredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dnalab results --predictions}: one row per example per run per split, bad input. */
class ResultsPredictionsTest {
  @TempDir Path dir;
  private Path store;

  private static StoredRun run(String key, String experiment, long seed, String degenerate) {
    MetricSet metrics = new MetricSet(3, 2 / 3.0, 0.5, 0.6, 0.7, 0.8, 0.4);
    RunResult result = new RunResult(experiment, "gue/tf_0", "nucleotide", "convnova", "none",
        seed, metrics, metrics, 1000, 2.0, 1, 10, 1, "cpu()", -1, Double.NaN, null, degenerate);
    Instant start = Instant.parse("2026-12-01T00:00:00Z");
    return new StoredRun(key, result, "{}", Provenance.of("cpu()", Map.of(), start,
        start.plusSeconds(2)));
  }

  private static Predictions split(String split, int n) {
    int[] labels = new int[n];
    float[][] probabilities = new float[n][];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      probabilities[i] = new float[] {0.75f, 0.25f};
    }
    return Predictions.of(split, labels, probabilities);
  }

  @BeforeEach
  void twoExperiments() {
    store = dir.resolve("results.sqlite");
    try (ResultStore results = ResultStore.open(store)) {
      results.record(run("a1", "alpha", 0, "test predictions all class 0"),
          List.of(split("dev", 2), split("test", 3)));
      results.record(run("a2", "alpha", 1, null), List.of(split("dev", 2), split("test", 3)));
      results.record(run("b1", "beta", 0, null), List.of(split("dev", 4), split("test", 5)));
    }
  }

  @Test
  void exportsOneRowPerExamplePerRunPerSplit() throws Exception {
    Path out = dir.resolve("predictions.csv");
    CliRun all = CliRun.run("results", "--store", store.toString(), "--predictions",
        out.toString());
    assertThat(all.exitCode()).as(all.err()).isZero();
    List<String> lines = Files.readAllLines(out);
    assertThat(lines).hasSize(1 + 5 + 5 + 9);
    assertThat(lines.get(0)).isEqualTo("stage_key,experiment,task,tokenizer,model,pretrain,seed,"
        + "degenerate,split,example,sequence_id,label,predicted,p_0,p_1");
    assertThat(lines.get(1)).isEqualTo("a1,alpha,gue/tf_0,nucleotide,convnova,none,0,"
        + "test predictions all class 0,dev,0,0,0,0,0.75,0.25");

    CliRun test = CliRun.run("results", "--store", store.toString(), "--experiment", "alpha",
        "--split", "test", "--predictions", out.toString());
    assertThat(test.exitCode()).as(test.err()).isZero();
    List<String> testLines = Files.readAllLines(out);
    assertThat(testLines).hasSize(1 + 3 + 3);
    assertThat(testLines.subList(1, testLines.size()))
        .allMatch(line -> line.contains(",alpha,") && line.contains(",test,"));
  }

  @Test
  void badInputIsOneLineAndStatus2() throws Exception {
    Path out = dir.resolve("predictions.csv");
    CliRun unknown = CliRun.run("results", "--store", store.toString(), "--experiment", "gamma",
        "--predictions", out.toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err().strip()).isEqualTo("dnalab results: no runs of experiment "
        + "\"gamma\" in " + store + "; its experiments: [alpha, beta]");
    assertThat(out).doesNotExist();

    Path noFolder = dir.resolve("missing/predictions.csv");
    CliRun unwritable = CliRun.run("results", "--store", store.toString(), "--predictions",
        noFolder.toString());
    assertThat(unwritable.exitCode()).isEqualTo(2);
    assertThat(unwritable.err().strip()).isEqualTo("dnalab results: cannot write " + noFolder
        + ": its folder does not exist");

    CliRun aFolder = CliRun.run("results", "--store", store.toString(), "--predictions",
        dir.toString());
    assertThat(aFolder.exitCode()).isEqualTo(2);
    assertThat(aFolder.err().strip()).isEqualTo("dnalab results: cannot write " + dir
        + ": Is a directory");

    CliRun badSplit = CliRun.run("results", "--store", store.toString(), "--split", "train",
        "--predictions", out.toString());
    assertThat(badSplit.exitCode()).isEqualTo(2);
    assertThat(badSplit.err().strip()).isEqualTo("dnalab results: --split must be dev, test or "
        + "all, got \"train\"");
  }
}
