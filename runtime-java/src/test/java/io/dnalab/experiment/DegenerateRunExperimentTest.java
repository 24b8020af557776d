package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.metrics.PairedGain;
import io.dnalab.metrics.PretrainingGain;
import io.dnalab.metrics.Verdict;
import io.dnalab.result.Predictions;
import io.dnalab.result.RunResult;
import io.dnalab.spec.CorpusSpec;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.store.ResultStore;
import io.dnalab.store.StoredRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The degenerate-run guard on real runs: a task whose labels carry no signal and are 90% one class
 * drives every fine-tuning run to predict that class for every example (as the random-init arm
 * on tf_0 stayed at MCC 0). The store flags the runs, keeps their predictions, and the pretraining
 * gain resting on them says "arm collapsed", never "better".
 */
class DegenerateRunExperimentTest {
  private static final ModelSpec BERT = new ModelSpec.Bert(1, 32, 2, 64, 0.0, false,
      ModelSpec.Pooling.MEAN, true);
  private static final PretrainSpec MLM = new PretrainSpec.Pretrain(new Objective.TokenMlm(0.15),
      CorpusSpec.of("h_pylori", "bacteria_H_pylori_G27"), 20, 8, 128, 1e-3, 3, 0.01, 15, 16, 7);

  /**
   * Random 64-mers; labels drawn independently of them, class 1 with probability
   * {@code positive}: nothing to learn but the prior.
   */
  private static void writeSplit(Path file, int count, double positive, long seed)
      throws IOException {
    Random random = new Random(seed);
    StringBuilder csv = new StringBuilder("sequence,label\n");
    for (int i = 0; i < count; i++) {
      for (int b = 0; b < 64; b++) {
        csv.append("ACGT".charAt(random.nextInt(4)));
      }
      csv.append(',').append(random.nextDouble() < positive ? 1 : 0).append('\n');
    }
    Files.writeString(file, csv);
  }

  @Test
  void aRunDrivenToOneClassIsFlaggedInTheStoreAndItsGainSaysArmCollapsed(@TempDir Path dir)
      throws IOException {
    Path task = dir.resolve("no-signal");
    Files.createDirectories(task);
    writeSplit(task.resolve("train.csv"), 400, 0.1, 1);
    writeSplit(task.resolve("dev.csv"), 100, 0.1, 2);
    // the test split holds both classes, so one predicted class is a collapse, not the truth
    writeSplit(task.resolve("test.csv"), 100, 0.3, 3);
    ExperimentSpec spec = new ExperimentSpec("collapse", List.of(new TaskSpec.Local(task)),
        List.of(new TokenizerSpec.Nucleotide()), List.of(BERT),
        List.of(new PretrainSpec.None(), MLM), new FinetuneSpec(2, 1e-3, 32, 0.1), 2);
    List<RunResult> runs;
    try (ExperimentEngine engine = TestEngines.inFolder(dir)) {
      runs = engine.execute(engine.plan(spec), new ExecutionListener() {});
    }
    assertThat(runs).hasSize(4);
    List<RunResult> control = runs.stream().filter(r -> r.pretrain().equals("none")).toList();
    List<RunResult> treated = runs.stream().filter(r -> !r.pretrain().equals("none")).toList();
    for (RunResult run : control) {
      assertThat(run.degenerate()).as("seed %d", run.seed())
          .contains("test predictions all class 0");
      assertThat(run.test().mcc()).isZero();
    }

    try (ResultStore store = ResultStore.open(dir.resolve("results.sqlite"))) {
      for (StoredRun stored : store.all()) {
        RunResult run = stored.result();
        RunResult executed = runs.stream().filter(r -> r.pretrain().equals(run.pretrain())
            && r.seed() == run.seed()).findFirst().orElseThrow();
        assertThat(run.degenerate()).as("the flag is stored as computed")
            .isEqualTo(executed.degenerate());
        List<Predictions> predictions = store.predictions(stored.key());
        assertThat(predictions).extracting(Predictions::split).containsExactly("dev", "test");
        assertThat(predictions.get(0).size()).isEqualTo(run.dev().examples()).isEqualTo(100);
        Predictions test = predictions.get(1);
        assertThat(test.size()).isEqualTo(100);
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
          correct += test.labels()[i] == test.predicted()[i] ? 1 : 0;
        }
        // The stored predictions are the ones the metrics were computed from.
        assertThat((double) correct / test.size()).isEqualTo(run.test().accuracy());
        if (run.pretrain().equals("none")) {
          assertThat(test.predicted()).containsOnly(0);
          assertThat(test.labels()).contains(0, 1);
        }
      }
    }

    PretrainingGain gain = new PretrainingGain("local/no-signal", "nucleotide", BERT.id(),
        MLM.id(), "none", "mcc", PairedGain.of(bySeed(treated), bySeed(control)),
        io.dnalab.result.Cost.of(1, Double.NaN, "cpu()"),
        PretrainingGain.collapsedRuns(treated, control));
    assertThat(gain.verdict()).isEqualTo(Verdict.ARM_COLLAPSED);
    assertThat(gain.verdictText()).startsWith("arm collapsed (")
        .contains("none seed 1: test predictions all class 0")
        .contains("none seed 2: test predictions all class 0")
        .doesNotContain("better");
  }

  private static java.util.Map<Long, Double> bySeed(List<RunResult> runs) {
    return runs.stream().collect(Collectors.toMap(RunResult::seed, r -> r.test().mcc()));
  }
}
