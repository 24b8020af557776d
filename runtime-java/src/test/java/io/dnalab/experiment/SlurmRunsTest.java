package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.cluster.FakeSlurm;
import io.dnalab.cluster.Slurm;
import io.dnalab.cluster.SlurmOptions;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Submission and status against stand-in sbatch/squeue executables (real processes, recorded
 * arguments); {@code SlurmIT} runs the same against a real single-node Slurm.
 */
class SlurmRunsTest {
  private static final ExperimentSpec SPEC = new ExperimentSpec("grid",
      List.of(new TaskSpec.Gue("tf_0")), List.of(new TokenizerSpec.Nucleotide()),
      List.of(new ModelSpec.CnnBaseline()), List.of(new PretrainSpec.None()),
      FinetuneSpec.defaults(), 2);
  private static final List<String> WORKER = List.of("java", "-cp", "cp", "io.dnalab.cli.Main");

  @TempDir
  Path dir;
  private FakeSlurm fake;
  private SlurmRuns runs;

  @BeforeEach
  void setUp() throws Exception {
    fake = new FakeSlurm(dir.resolve("bin"));
    runs = new SlurmRuns(new Slurm(fake.bin), SlurmRuns.folderFor(dir.resolve("r.sqlite"),
        "grid"));
  }

  /** tokenizer t → pretraining p → fine-tuning f0, f1; those in {@code done} are done. */
  private static Plan plan(Set<String> done) {
    List<Stage> stages = new ArrayList<>();
    stages.add(stage("t", Stage.Kind.TOKENIZER, List.of(), done));
    stages.add(stage("p", Stage.Kind.PRETRAIN, List.of("t"), done));
    stages.add(stage("f0", Stage.Kind.FINETUNE, List.of("p"), done));
    stages.add(stage("f1", Stage.Kind.FINETUNE, List.of("p"), done));
    return new Plan(SPEC, stages);
  }

  private static Stage stage(String key, Stage.Kind kind, List<String> inputs, Set<String> done) {
    return new Stage(key + "0".repeat(12), kind, "stage " + key, null, 0, inputs.stream()
        .map(k -> k + "0".repeat(12)).toList(), done.contains(key), 1.0, "{}");
  }

  @Test
  void oneArrayPerKindChainedByAfterok() throws Exception {
    SlurmRuns.Submission submission = runs.submit(plan(Set.of()), "{\"name\":\"grid\"}", WORKER,
        dir.resolve("r.sqlite"), new SlurmOptions(null, 0, 1, null, 2));
    assertThat(submission.arrays()).containsExactly(java.util.Map.entry("tokenizer", "100"),
        java.util.Map.entry("pretrain", "101"), java.util.Map.entry("finetune", "102"));
    assertThat(submission.counts()).containsEntry("finetune", 2);
    List<String> calls = fake.sbatchCalls();
    assertThat(calls.get(0)).isEqualTo("--parsable " + submission.folder().resolve(
        "tokenizer.sbatch"));
    assertThat(calls.get(1)).startsWith("--parsable --dependency=afterok:100 ");
    assertThat(calls.get(2)).startsWith("--parsable --dependency=afterok:101 ");
    assertThat(Files.readAllLines(submission.folder().resolve("finetune.keys")))
        .containsExactly("f0" + "0".repeat(12), "f1" + "0".repeat(12));
    assertThat(Files.readString(submission.folder().resolve("spec.json")))
        .isEqualTo("{\"name\":\"grid\"}");
    String script = Files.readString(submission.folder().resolve("finetune.sbatch"));
    assertThat(script).contains("#SBATCH --array=0-1%2", "#SBATCH --cpus-per-task=1",
        "java -cp cp io.dnalab.cli.Main run " + submission.folder().resolve("spec.json")
            + " --results " + dir.resolve("r.sqlite").toAbsolutePath() + " --stage \"$key\" "
            + "--quiet");
  }

  @Test
  void statusTellsQueuedRunningFailedMissingAndDone() throws Exception {
    SlurmRuns.Submission first = runs.submit(plan(Set.of()), "{}", WORKER,
        dir.resolve("r.sqlite"), SlurmOptions.defaults());
    // The tokenizer finished; the pretraining runs; f0 waits; f1's task is gone (cancelled).
    fake.queue("101_0|RUNNING", "102_0|PENDING");
    List<SlurmRuns.StageState> states = runs.status(plan(Set.of("t")));
    assertThat(states).extracting(s -> s.state().label() + " " + s.detail())
        .containsExactly("done ", "running 101_0", "queued 102_0",
            "missing task 102_1 ended without a result");
    assertThat(fake.squeueCalls()).last().asString()
        .contains("--name=dnalab-grid-tokenizer,dnalab-grid-pretrain,dnalab-grid-finetune");

    // f0 failed: its task left a marker; squeue no longer lists anything.
    Files.createDirectories(first.folder().resolve("failed"));
    Files.writeString(first.folder().resolve("failed").resolve("f0" + "0".repeat(12)),
        "exit 1, job 102_0\n", StandardCharsets.UTF_8);
    fake.queue();
    assertThat(runs.status(plan(Set.of("t", "p")))).extracting(s -> s.state().label())
        .containsExactly("done", "done", "failed", "missing");
    assertThat(runs.status(plan(Set.of("t", "p"))).get(2).detail())
        .startsWith("exit 1, job 102_0; log ").endsWith("finetune-102_0.out");
  }

  @Test
  void aTaskThatEndsBetweenTheQueueAndThePlanIsNeverMissing() throws Exception {
    runs.submit(plan(Set.of()), "{}", WORKER, dir.resolve("r.sqlite"), SlurmOptions.defaults());
    fake.queue("102_0|RUNNING", "102_1|RUNNING");
    SlurmRuns.Queue queue = runs.snapshot();
    // Both tasks end now; f0's result reached the store before the plan read it, f1's after.
    fake.queue();
    assertThat(runs.status(plan(Set.of("t", "p", "f0")), queue)).extracting(s -> s.state().label())
        .containsExactly("done", "done", "done", "running");
    // Taken after the plan instead, the same moment would read f1 as missing.
    assertThat(runs.status(plan(Set.of("t", "p", "f0")))).extracting(s -> s.state().label())
        .containsExactly("done", "done", "done", "missing");
  }

  @Test
  void submittingAgainSendsOnlyWhatIsMissingAndWaitsForUpstreamStillRunning() throws Exception {
    runs.submit(plan(Set.of()), "{}", WORKER, dir.resolve("r.sqlite"), SlurmOptions.defaults());
    // The pretraining still runs in job 101, f0 is queued, f1 was cancelled.
    fake.queue("101_0|RUNNING", "102_0|PENDING");
    SlurmRuns.Submission again = runs.submit(plan(Set.of("t")), "{}", WORKER,
        dir.resolve("r.sqlite"), SlurmOptions.defaults());
    assertThat(again.arrays()).containsOnlyKeys("finetune");
    assertThat(Files.readAllLines(again.folder().resolve("finetune.keys")))
        .containsExactly("f1" + "0".repeat(12));
    assertThat(fake.sbatchCalls()).last().asString()
        .startsWith("--parsable --dependency=afterok:101 --kill-on-invalid-dep=yes ");
    // Everything queued, running or done: nothing to send.
    fake.queue("101_0|RUNNING", "102_0|PENDING", "103_0|PENDING");
    assertThat(runs.submit(plan(Set.of("t")), "{}", WORKER, dir.resolve("r.sqlite"),
        SlurmOptions.defaults())).isNull();
    // The newest submission decides a stage that was submitted twice.
    assertThat(runs.status(plan(Set.of("t"))).get(3).detail()).isEqualTo("103_0");
  }
}
