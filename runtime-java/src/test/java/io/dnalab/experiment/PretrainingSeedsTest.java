package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.data.SequenceTask;
import io.dnalab.result.MetricSet;
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
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuneResult;
import io.dnalab.train.SyntheticTasks;
import io.dnalab.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pretraining seeds crossed with fine-tuning seeds, with fake runners (no engine): one stage per
 * pretraining seed, every fine-tuning seed on each, the first keeping the key a one-seed
 * pretraining had, and the pretraining seed recorded with every run.
 */
class PretrainingSeedsTest {
  private static final ModelSpec CONV = new ModelSpec.ConvNova(16, 5, 2, 4, 2, false);
  private static final TaskSpec TASK = new TaskSpec.Builtin("motif");
  private static final SequenceTask DATA = SyntheticTasks.motifs(2, 64, 32, 32, 40, 40, 9);
  private static final PretrainSpec.Pretrain MLM = new PretrainSpec.Pretrain(
      new Objective.TokenMlm(0.15), CorpusSpec.humanOnly(), 30, 8, 128, 1e-3, 3, 0.01, 15, 16,
      7);

  private static ExperimentSpec spec(PretrainSpec pretrain) {
    return new ExperimentSpec("seeds", List.of(TASK), List.of(new TokenizerSpec.Nucleotide()),
        List.of(CONV), List.of(new PretrainSpec.None(), pretrain),
        new FinetuneSpec(1, 1e-3, 32, 0.1), 2);
  }

  private static TaskFingerprint fingerprint(TaskSpec task) {
    return new TaskFingerprint(task.id(), Map.of("train", "aa", "dev", "bb", "test", "cc"), 64,
        64, 40);
  }

  /** Writes an encoder file named after the pretraining seed it was asked to run. */
  private static final class FakePretrainer implements PretrainRunner {
    final List<Long> seeds = new ArrayList<>();

    @Override
    public void run(Inputs inputs, Path outDir, TrainingListener listener)
        throws java.io.IOException {
      long seed = ((PretrainSpec.Pretrain) inputs.pretrain()).seed();
      seeds.add(seed);
      Files.writeString(outDir.resolve(ENCODER_FILE), "pretraining seed " + seed);
    }
  }

  /** Scores from the encoder it starts from and the fine-tuning seed. */
  private static final class FakeFinetuner implements FinetuneRunner {
    final List<String> encoders = new ArrayList<>();

    @Override
    public void checkSupported(ExperimentSpec.Cell cell) {}

    @Override
    public FineTuneResult run(SequenceTask task, Inputs inputs, FineTuneConfig config,
        TrainingListener listener) {
      try {
        encoders.add(inputs.encoder() == null ? "none"
            : Files.readString(inputs.encoder().resolve(PretrainRunner.ENCODER_FILE)));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      MetricSet metrics = new MetricSet(task.dev().size(), 0.5, 0.1 * config.seed(), 0.5, 0.5,
          0.5, 0.7);
      return new FineTuneResult(metrics, metrics, List.of(metrics), 1, 1, 2, 100,
          task.train().size(), 1.0, 1.5, "fake cpu", 640, 1e9);
    }
  }

  @Test
  void everyFineTuningSeedRunsOnEveryPretrainingSeedAndTheFirstKeepsItsKey(@TempDir Path dir) {
    ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts"));
    FakePretrainer pretrainer = new FakePretrainer();
    FakeFinetuner finetuner = new FakeFinetuner();
    try (ResultStore results = ResultStore.open(dir.resolve("results.sqlite"))) {
      Planner planner = new Planner(PretrainingSeedsTest::fingerprint, path -> "ff", artifacts,
          results, pretrainer);
      Plan one = planner.plan(spec(MLM));
      Plan three = planner.plan(spec(MLM.withSeeds(3)));

      List<Stage> pretraining = three.stages(Stage.Kind.PRETRAIN);
      assertThat(pretraining).extracting(stage -> ((PretrainSpec.Pretrain) stage.cell()
          .pretrain()).seed()).containsExactly(7L, 8L, 9L);
      assertThat(pretraining).extracting(Stage::key).doesNotHaveDuplicates();
      assertThat(pretraining.get(0).key()).as("pretraining seed 7 is the one-seed spec's stage")
          .isEqualTo(one.stages(Stage.Kind.PRETRAIN).get(0).key());
      assertThat(pretraining.get(2).label()).isEqualTo(
          "mlm-human-30 · nucleotide · convnova-d16-k5 · pretraining seed 9");

      // 2 random-init runs, then 3 pretraining seeds × 2 fine-tuning seeds.
      List<Stage> finetuning = three.stages(Stage.Kind.FINETUNE);
      assertThat(finetuning).hasSize(2 + 3 * 2);
      assertThat(finetuning).extracting(Stage::key).doesNotHaveDuplicates();
      assertThat(finetuning.subList(0, 4)).extracting(Stage::key).as("none and pretraining "
          + "seed 7: the runs a one-seed spec planned").containsExactlyElementsOf(
              one.stages(Stage.Kind.FINETUNE).stream().map(Stage::key).toList());
      assertThat(finetuning.get(7).label()).isEqualTo("builtin/motif · nucleotide · "
          + "convnova-d16-k5 · mlm-human-30 · pretraining seed 9 · seed 2");
      assertThat(finetuning.get(7).inputs()).containsExactly(pretraining.get(2).key());

      Executor executor = new Executor(task -> DATA, PretrainingSeedsTest::fingerprint,
          finetuner, pretrainer, artifacts, results);
      List<RunResult> runs = executor.execute(three, ExecutionListener.NONE);
      assertThat(pretrainer.seeds).containsExactly(7L, 8L, 9L);
      assertThat(finetuner.encoders).containsExactly("none", "none",
          "pretraining seed 7", "pretraining seed 7", "pretraining seed 8",
          "pretraining seed 8", "pretraining seed 9", "pretraining seed 9");
      assertThat(runs).extracting(RunResult::pretrainSeed).containsExactly(null, null, 7L, 7L,
          8L, 8L, 9L, 9L);
      assertThat(runs).extracting(RunResult::seed).containsExactly(1L, 2L, 1L, 2L, 1L, 2L, 1L,
          2L);
      assertThat(runs).extracting(RunResult::pretrain).containsOnly("none", MLM.id());
      assertThat(results.all()).extracting(run -> run.result().pretrainSeed())
          .containsExactlyInAnyOrder(null, null, 7L, 7L, 8L, 8L, 9L, 9L);

      // Read back, nothing runs again, and the seeds come back with the runs.
      Plan again = planner.plan(spec(MLM.withSeeds(3)));
      assertThat(again.allDone()).isTrue();
      assertThat(executor.execute(again, ExecutionListener.NONE))
          .extracting(RunResult::pretrainSeed).containsExactly(null, null, 7L, 7L, 8L, 8L, 9L,
              9L);
      assertThat(pretrainer.seeds).hasSize(3);
      assertThat(finetuner.encoders).hasSize(8);
    }
  }
}
