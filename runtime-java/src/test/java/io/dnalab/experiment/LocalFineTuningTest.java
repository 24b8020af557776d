package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.data.DataFiles;
import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.result.RunResult;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.store.ResultStore;
import io.dnalab.train.SyntheticTasks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real fine-tuning path, without a catalog: {@link Planner} and {@link Executor} with
 * {@link FinetuneRunner#local} on the engine's default device, and a {@link ResultStore} and an
 * {@link ArtifactStore} in a temporary folder, on a synthetic task that is tiny enough for CI.
 */
class LocalFineTuningTest {
  private static final ModelSpec SMALL = new ModelSpec.ConvNova(16, 5, 2, 4, 2, false);
  private static final TaskSpec MOTIF = new TaskSpec.Builtin("motif");

  /** The grid has no pretraining; reaching this would mean the planner invented a stage. */
  private static final PretrainRunner NO_PRETRAINING = (inputs, outDir, listener) -> {
    throw new AssertionError("no pretraining stage was planned");
  };

  private static TaskFingerprint fingerprint(TaskSpec task) {
    return new TaskFingerprint(task.id(), Map.of("train", "t", "dev", "d", "test", "s"), 128, 128,
        40);
  }

  @Test
  void runsEveryCellAndSeedInPlanOrderRecordsEachAndWritesCsv(@TempDir Path dir)
      throws Exception {
    // 128 train, 64 dev, 64 test examples of 40 bases, two classes.
    SequenceTask task = SyntheticTasks.motifs(2, 128, 64, 64, 40, 40, 9);
    ExperimentSpec spec = new ExperimentSpec("runner-test", List.of(MOTIF),
        List.of(new TokenizerSpec.Nucleotide()), List.of(SMALL, new ModelSpec.UNet(1, 8)),
        List.of(new PretrainSpec.None()), new FinetuneSpec(1, 1e-3, 32, 0.1), 2);
    List<TaskSpec> loaded = new ArrayList<>();
    List<RunResult> streamed = new ArrayList<>();
    try (ResultStore results = ResultStore.open(dir.resolve("results.sqlite"))) {
      ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts"));
      Plan plan = new Planner(LocalFineTuningTest::fingerprint, DataFiles::sha256OfBytes,
          artifacts, results, NO_PRETRAINING).plan(spec);
      Executor executor = new Executor(taskSpec -> {
        loaded.add(taskSpec);
        return task;
      }, LocalFineTuningTest::fingerprint, FinetuneRunner.local(DnalabEngine::startDefault),
          NO_PRETRAINING, artifacts, results);

      List<RunResult> runs = executor.execute(plan, new ExecutionListener() {
        @Override
        public void onStageEnd(Stage stage, double seconds, RunResult result) {
          streamed.add(result);
        }
      });

      assertThat(loaded).as("each task is loaded once").containsExactly(MOTIF);
      assertThat(runs).isEqualTo(streamed);
      assertThat(runs).extracting(RunResult::model).containsExactly("convnova-d16-k5",
          "convnova-d16-k5", "unet-1x8", "unet-1x8");
      assertThat(runs).extracting(RunResult::seed).containsExactly(1L, 2L, 1L, 2L);
      assertThat(runs.get(0).test().examples()).isEqualTo(64);
      assertThat(runs.get(0).steps()).as("128 examples in batches of 32, one epoch").isEqualTo(4);
      assertThat(runs.get(0).test()).as("seeds differ").isNotEqualTo(runs.get(1).test());
      // Fine-tuning counts its tokens: every training example once per epoch.
      assertThat(runs.get(0).tokensSeen()).isEqualTo(128L * 40);
      assertThat(runs.get(0).flops()).isPositive();
      // Each run is in the store as it was returned (the same values read back, not recomputed).
      List<Stage> stages = plan.stages(Stage.Kind.FINETUNE);
      assertThat(results.count()).isEqualTo(4);
      for (int i = 0; i < stages.size(); i++) {
        assertThat(results.find(stages.get(i).key()).orElseThrow().result())
            .isEqualTo(runs.get(i));
      }

      Path csv = dir.resolve("results.csv");
      RunResult.writeCsv(runs, csv);
      List<String> lines = Files.readAllLines(csv);
      assertThat(lines).hasSize(5);
      assertThat(lines.get(0)).startsWith("experiment,task,tokenizer,model,pretrain,seed,"
          + "pretrain_seed,dev_accuracy").endsWith("parameters,wall_seconds,epochs,steps,best_epoch,device,"
          + "tokens_seen,flops,degenerate,recipe");
      // ConvNova cells fine-tune by ConvNova's recipe (the spec overrides four of its numbers).
      assertThat(lines.get(1)).endsWith(",convnova");
      assertThat(lines.get(1)).startsWith("runner-test,builtin/motif,nucleotide,convnova-d16-k5,"
          + "none,1,,");
      assertThat(lines.get(1).split(",", -1)).hasSize(lines.get(0).split(",").length);
    }
  }
}
