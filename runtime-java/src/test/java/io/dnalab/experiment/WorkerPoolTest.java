package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.result.RunResult;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.store.ResultStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool's scheduling, output and failure handling, with workers that are shell scripts (no
 * JVM, no training): each copies a prepared result file into the artifact store, as a real
 * worker publishes its run, or fails.
 */
class WorkerPoolTest {
  private static final ExperimentSpec SPEC = new ExperimentSpec("pool",
      List.of(new TaskSpec.Builtin("motif")), List.of(new TokenizerSpec.Nucleotide()),
      List.of(new ModelSpec.ConvNova(16, 5, 2, 4, 2, false)), List.of(new PretrainSpec.None()),
      new FinetuneSpec(1, 1e-3, 32, 0.1), 4);

  private static Stage stage(int i, List<String> inputs) {
    return new Stage(ResultWorkerMain.key(i), Stage.Kind.FINETUNE, "run " + i,
        SPEC.cells().get(0), i, inputs, false, 1.0, "{}");
  }

  /**
   * A worker: {@code sh -c SCRIPT worker run SPEC --stage KEY}; fails with exit 7 for keys that
   * have a file in {@code fail/}, else prints a line and publishes {@code templates/KEY.json}.
   */
  private static List<String> fakeWorker(Path dir, Path results) {
    String script = "key=\"$4\"; echo \"working on $key\"; "
        + "if [ -f '" + dir.resolve("fail") + "'/\"$key\" ]; then echo \"boom $key\" >&2; "
        + "exit 7; fi; sleep 0.2; mkdir -p '" + results + "' && cp '" + dir.resolve("templates")
        + "'/\"$key.json\" '" + results + "'/\"$key.json\"; echo finished";
    return List.of("sh", "-c", script, "worker");
  }

  @Test
  void runsStagesInWorkersAndAFailureFailsOnlyItsStageAndWhatReadsIt(@TempDir Path dir)
      throws Exception {
    ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts"));
    ResultFiles templates = new ResultFiles(dir.resolve("templates"));
    for (int i = 0; i < 4; i++) {
      templates.publish(ResultWorkerMain.run(ResultWorkerMain.key(i), i));
    }
    Files.createDirectories(dir.resolve("fail"));
    Files.writeString(dir.resolve("fail").resolve(ResultWorkerMain.key(1)), "");
    // Stage 2 reads stage 1's output: when 1 fails, 2 must not start.
    Plan plan = new Plan(SPEC, List.of(stage(0, List.of()), stage(1, List.of()),
        stage(2, List.of(ResultWorkerMain.key(1))), stage(3, List.of())));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    List<String> ended = new ArrayList<>();
    ExecutionListener listener = new ExecutionListener() {
      @Override
      public void onStageEnd(Stage stage, double seconds, RunResult result) {
        ended.add(stage.label() + " seed " + result.seed());
      }
    };
    try (ResultStore store = ResultStore.open(dir.resolve("results.sqlite"))) {
      WorkerPool pool = new WorkerPool(fakeWorker(dir, ResultFiles.of(artifacts).folder()),
          Map.of(), 2, out);
      assertThatThrownBy(() -> pool.execute(plan, dir.resolve("spec.json"), artifacts, store,
          listener))
          .isInstanceOf(WorkerPool.WorkerFailure.class)
          .hasMessageContaining("2 stages failed")
          .hasMessageContaining("run 1 (" + ResultWorkerMain.key(1).substring(0, 12)
              + "): exit status 7, last line: boom")
          .hasMessageContaining("run 2 (" + ResultWorkerMain.key(2).substring(0, 12)
              + "): not run: its input run 1 failed");
      assertThat(ended).containsExactlyInAnyOrder("run 0 seed 0", "run 3 seed 3");
      assertThat(store.count()).as("the finished runs were imported").isEqualTo(2);
      assertThat(store.find(ResultWorkerMain.key(3))).isPresent();
    }
    String printed = bytes.toString(StandardCharsets.UTF_8);
    String prefix0 = "[" + ResultWorkerMain.key(0).substring(0, 12) + " convnova-d16-k5 seed 0] ";
    assertThat(printed).contains(prefix0 + "working on " + ResultWorkerMain.key(0))
        .contains(prefix0 + "finished")
        .contains("FAILED run 1 (" + ResultWorkerMain.key(1).substring(0, 12)
            + "), exit status 7; its last lines:")
        .contains("  | boom " + ResultWorkerMain.key(1))
        .doesNotContain("working on " + ResultWorkerMain.key(2));
  }

  @Test
  void eachWorkerSeesOneGpuOfTheSubsetAndThePoolSaysWhich(@TempDir Path dir) throws Exception {
    ArtifactStore artifacts = new ArtifactStore(dir.resolve("artifacts"));
    ResultFiles templates = new ResultFiles(dir.resolve("templates"));
    for (int i = 0; i < 4; i++) {
      templates.publish(ResultWorkerMain.run(ResultWorkerMain.key(i), i));
    }
    // Each worker records the GPUs it sees, then holds them while it runs.
    Path seen = dir.resolve("seen");
    Files.createDirectories(seen);
    List<String> worker = List.of("sh", "-c", "key=\"$4\"; printf '%s' \"$CUDA_VISIBLE_DEVICES\" > '"
        + seen + "'/\"$key\"; sleep 0.3; mkdir -p '" + ResultFiles.of(artifacts).folder()
        + "' && cp '" + dir.resolve("templates") + "'/\"$key.json\" '"
        + ResultFiles.of(artifacts).folder() + "'/\"$key.json\"", "worker");
    Plan plan = new Plan(SPEC, List.of(stage(0, List.of()), stage(1, List.of()),
        stage(2, List.of()), stage(3, List.of())));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    try (ResultStore store = ResultStore.open(dir.resolve("results.sqlite"))) {
      // CUDA_VISIBLE_DEVICES=2,3 in the parent: two workers at once, one on each.
      new WorkerPool(worker, Map.of("CUDA_VISIBLE_DEVICES", "0,1,2,3"), 2,
          io.dnalab.engine.VisibleGpus.parseVisibleDevices("2,3"), out)
          .execute(plan, dir.resolve("spec.json"), artifacts, store, ExecutionListener.NONE);
      assertThat(store.count()).isEqualTo(4);
    }
    List<String> gpus = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      gpus.add(Files.readString(seen.resolve(ResultWorkerMain.key(i))));
    }
    // Stages 0 and 1 start together on GPUs 2 and 3; 2 and 3 follow on whichever is free.
    assertThat(gpus.subList(0, 2)).containsExactly("2", "3");
    assertThat(gpus).allMatch(g -> g.equals("2") || g.equals("3"));
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(printed).contains("gpu   run 0 (" + ResultWorkerMain.key(0).substring(0, 12)
        + ") on GPU 2 (CUDA_VISIBLE_DEVICES=2)");
    assertThat(printed).contains("gpu   run 3 (" + ResultWorkerMain.key(3).substring(0, 12)
        + ") on GPU " + gpus.get(3));
  }

  @Test
  void threadsAreSplitBetweenWorkersAtLeastOneEach() {
    int cores = Runtime.getRuntime().availableProcessors();
    assertThat(WorkerPool.threadsPerWorker(1)).isEqualTo(cores);
    assertThat(WorkerPool.threadsPerWorker(cores)).isEqualTo(1);
    assertThat(WorkerPool.threadsPerWorker(cores * 4)).isEqualTo(1);
    assertThat(WorkerPool.defaultJobs()).isBetween(1, 8).isLessThanOrEqualTo(cores);
  }
}
