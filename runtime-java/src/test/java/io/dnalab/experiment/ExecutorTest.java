package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.data.SequenceTask;
import io.dnalab.result.MetricSet;
import io.dnalab.result.RunResult;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.SpecException;
import io.dnalab.spec.SpecJson;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planner and Executor with a fake fine-tuner (no engine): keys, skipping, resuming. */
class ExecutorTest {
  private static final ModelSpec CONV = new ModelSpec.ConvNova(16, 5, 2, 4, 2, false);
  private static final ModelSpec UNET = new ModelSpec.UNet(1, 8);
  private static final TaskSpec TASK = new TaskSpec.Builtin("motif");
  private static final SequenceTask DATA = SyntheticTasks.motifs(2, 128, 64, 64, 40, 40, 9);

  private static TaskFingerprint fingerprint(TaskSpec task) {
    return new TaskFingerprint(task.id(), Map.of("train", "aa", "dev", "bb", "test", "cc"), 5000,
        1000, 200);
  }

  private static ExperimentSpec spec(String name, List<TokenizerSpec> tokenizers, int seeds) {
    return new ExperimentSpec(name, List.of(TASK), tokenizers, List.of(CONV, UNET),
        List.of(new PretrainSpec.None()), new FinetuneSpec(1, 1e-3, 32, 0.1), seeds);
  }

  /** Records what it was asked to run; fails on the run numbered {@code failOn} (1-based). */
  private static final class FakeFinetuner implements FinetuneRunner {
    final List<Inputs> runs = new ArrayList<>();
    int failOn = -1;

    @Override
    public void checkSupported(ExperimentSpec.Cell cell) {
      if (cell.tokenizer() instanceof TokenizerSpec.Kmer) {
        throw new SpecException("tokenizer", "no k-mers here");
      }
    }

    @Override
    public FineTuneResult run(SequenceTask task, Inputs inputs, FineTuneConfig config,
        TrainingListener listener) {
      if (runs.size() + 1 == failOn) {
        throw new IllegalStateException("killed");
      }
      runs.add(inputs);
      double score = 0.5 + 0.01 * config.seed();
      MetricSet dev = new MetricSet(task.dev().size(), score, score, score, score, score, 0.5);
      MetricSet test = new MetricSet(task.test().size(), score, score - 0.1, score, score, score,
          0.6);
      return new FineTuneResult(dev, test, List.of(dev), 1, 1, 4, 1234, task.train().size(), 1.5,
          2.0 + config.seed(), "fake cpu");
    }
  }

  /** These tests plan no pretraining; a stage that reached this would be a planner bug. */
  private static final PretrainRunner NO_PRETRAINING = (inputs, outDir, listener) -> {
    throw new AssertionError("no pretraining stage was planned");
  };

  private record Engine(Planner planner, Executor executor, AtomicInteger loads) {
    List<RunResult> run(ExperimentSpec spec) {
      return executor.execute(planner.plan(spec), ExecutionListener.NONE);
    }
  }

  private static Engine engine(Path dir, FinetuneRunner finetuner, ResultStore results) {
    ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts"));
    AtomicInteger loads = new AtomicInteger();
    Planner planner = new Planner(ExecutorTest::fingerprint, path -> "ff", artifacts, results,
        NO_PRETRAINING);
    Executor executor = new Executor(task -> {
      loads.incrementAndGet();
      return DATA;
    }, ExecutorTest::fingerprint, finetuner, NO_PRETRAINING, artifacts, results);
    return new Engine(planner, executor, loads);
  }

  @Test
  void keysDependOnWhatARunComputesNotOnTheExperimentName(@TempDir Path dir) {
    try (ResultStore results = ResultStore.open(dir.resolve("results.sqlite"))) {
      keysDependOnWhatARunComputes(engine(dir, new FakeFinetuner(), results).planner());
    }
  }

  private static void keysDependOnWhatARunComputes(Planner planner) {
    Plan a = planner.plan(spec("a", List.of(new TokenizerSpec.Nucleotide()), 2));
    Plan b = planner.plan(spec("b", List.of(new TokenizerSpec.Nucleotide()), 3));
    assertThat(a.count(Stage.Kind.FINETUNE)).isEqualTo(4);
    assertThat(a.count(Stage.Kind.TOKENIZER)).isZero();
    List<String> keysA = a.stages().stream().map(Stage::key).toList();
    assertThat(keysA).doesNotHaveDuplicates();
    assertThat(b.stages().stream().map(Stage::key).toList()).containsAll(keysA);
    assertThat(a.stages().get(0).specJson()).startsWith("{\"data\":{\"dev\":\"bb\"")
        .contains("\"seed\":1").contains("\"recipe\":1").doesNotContain("\"a\"");
    // The key is the sha256 of exactly the text stored with the run.
    assertThat(a.stages().get(0).key()).isEqualTo(SpecJson.sha256Text(a.stages().get(0)
        .specJson()));
  }

  @Test
  void aFinishedExperimentIsReadBackWithoutRunningOrLoadingAnything(@TempDir Path dir) {
    try (ResultStore results = ResultStore.open(dir.resolve("results.sqlite"))) {
      FakeFinetuner finetuner = new FakeFinetuner();
      Engine first = engine(dir, finetuner, results);
      ExperimentSpec spec = spec("first", List.of(new TokenizerSpec.Nucleotide()), 2);
      Plan before = first.planner().plan(spec);
      assertThat(before.done(Stage.Kind.FINETUNE)).isZero();
      assertThat(before.remainingSeconds()).as("from the cost model").isPositive();
      List<RunResult> runs = first.run(spec);
      assertThat(finetuner.runs).hasSize(4);
      assertThat(results.count()).isEqualTo(4);

      FakeFinetuner again = new FakeFinetuner();
      Engine second = engine(dir, again, results);
      Plan plan = second.planner().plan(spec("renamed", spec.tokenizers(), 2));
      assertThat(plan.allDone()).isTrue();
      assertThat(plan.summary()).isEqualTo("4 fine-tuning + evaluation (all done); nothing left "
          + "to run");
      List<String> events = new ArrayList<>();
      List<RunResult> back = second.executor().execute(plan, new ExecutionListener() {
        @Override
        public void onStageSkipped(Stage stage) {
          events.add("skipped " + stage.label());
        }

        @Override
        public void onStageStart(Stage stage) {
          events.add("ran " + stage.label());
        }
      });
      assertThat(again.runs).isEmpty();
      assertThat(second.loads()).hasValue(0);
      assertThat(events).hasSize(4).allMatch(e -> e.startsWith("skipped "));
      assertThat(back).extracting(RunResult::experiment).containsOnly("renamed");
      assertThat(back).extracting(RunResult::test).isEqualTo(
          runs.stream().map(RunResult::test).toList());
      // More seeds: only the new ones run, and the estimate comes from the finished runs.
      Plan more = second.planner().plan(spec("first", spec.tokenizers(), 3));
      assertThat(more.summary()).isEqualTo("6 fine-tuning + evaluation (4 done, 2 to run); "
          + "about 7s left"); // mean wall seconds of the stored runs: (3 + 4) / 2 per model
      second.run(spec("first", spec.tokenizers(), 3));
      assertThat(again.runs).extracting(i -> i.cell().model()).containsExactly(CONV, UNET);
    }
  }

  @Test
  void aRunThatFailsMidGridLosesNoFinishedRunAndResumes(@TempDir Path dir) {
    try (ResultStore results = ResultStore.open(dir.resolve("results.sqlite"))) {
      FakeFinetuner crashing = new FakeFinetuner();
      crashing.failOn = 3;
      ExperimentSpec spec = spec("grid", List.of(new TokenizerSpec.Nucleotide()), 2);
      assertThatThrownBy(() -> engine(dir, crashing, results).run(spec)).hasMessage("killed");
      assertThat(results.count()).isEqualTo(2);

      FakeFinetuner resumed = new FakeFinetuner();
      Engine engine = engine(dir, resumed, results);
      assertThat(engine.planner().plan(spec).done(Stage.Kind.FINETUNE)).isEqualTo(2);
      List<RunResult> all = engine.run(spec);
      assertThat(resumed.runs).hasSize(2);
      assertThat(all).hasSize(4);
      assertThat(all).extracting(RunResult::seed).containsExactly(1L, 2L, 1L, 2L);
      assertThat(results.count()).isEqualTo(4);
    }
  }

  @Test
  void aBpeTokenizerIsTrainedOnceIntoTheArtifactStoreAndHandedToEveryRun(@TempDir Path dir) {
    try (ResultStore results = ResultStore.open(dir.resolve("results.sqlite"))) {
      FakeFinetuner finetuner = new FakeFinetuner();
      Engine engine = engine(dir, finetuner, results);
      ExperimentSpec spec = spec("bpe", List.of(new TokenizerSpec.Bpe(32, List.of())), 2);
      Plan plan = engine.planner().plan(spec);
      assertThat(plan.count(Stage.Kind.TOKENIZER)).isEqualTo(1);
      Stage tokenizer = plan.stages().get(0);
      assertThat(tokenizer.kind()).isEqualTo(Stage.Kind.TOKENIZER);
      assertThat(plan.stages(Stage.Kind.FINETUNE)).allMatch(s -> s.inputs().equals(
          List.of(tokenizer.key())));
      engine.run(spec);
      Path trained = dir.resolve("artifacts/tokenizer").resolve(tokenizer.key());
      assertThat(trained.resolve("tokenizer.json")).exists();
      assertThat(finetuner.runs).hasSize(4).allMatch(i -> trained.equals(i.tokenizer()));
      assertThat(engine.loads()).as("the task is read once, for training and fine-tuning")
          .hasValue(1);
      assertThat(engine.planner().plan(spec).allDone()).isTrue();
    }
  }

  @Test
  void cellsTheFineTunerCannotRunAreRefusedBeforeAnythingRuns(@TempDir Path dir)
      throws Exception {
    try (ResultStore results = ResultStore.open(dir.resolve("results.sqlite"))) {
      FakeFinetuner finetuner = new FakeFinetuner();
      Engine engine = engine(dir, finetuner, results);
      ExperimentSpec spec = spec("mixed", List.of(new TokenizerSpec.Nucleotide(),
          new TokenizerSpec.Kmer(6, false)), 1);
      assertThatThrownBy(() -> engine.run(spec)).hasMessage("tokenizer: no k-mers here");
      assertThat(finetuner.runs).isEmpty();
      assertThat(engine.loads()).hasValue(0);
      assertThat(Files.exists(dir.resolve("artifacts/.tmp"))).isFalse();
    }
  }

  @Test
  void theLocalFineTunerRefusesAMissingTokenizerFileBeforeStartingTheEngine(@TempDir Path dir) {
    try (ResultStore results = ResultStore.open(dir.resolve("results.sqlite"))) {
      Path missing = dir.resolve("missing-tokenizer.json");
      Engine engine = engine(dir, FinetuneRunner.local(() -> {
        throw new AssertionError("the engine must not start");
      }), results);
      ExperimentSpec spec = spec("missing", List.of(new TokenizerSpec.FromFile(missing)), 1);
      // The planner hashes the file's content through its fileSha256 function (a constant here),
      // so only the fine-tuner's check can notice the file is gone.
      assertThatThrownBy(() -> engine.run(spec)).isInstanceOf(SpecException.class)
          .hasMessage("tokenizer.path: no such tokenizer file: " + missing);
      assertThat(engine.loads()).hasValue(0);
      assertThat(results.count()).isZero();
    }
  }
}
