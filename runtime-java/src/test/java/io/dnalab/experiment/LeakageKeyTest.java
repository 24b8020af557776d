package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.spec.CorpusSpec;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Excluding leaked regions changes the pretraining stage key; reporting them does not. */
class LeakageKeyTest {
  private static final CorpusSpec REPORT = CorpusSpec.humanOnly();

  private static TaskFingerprint fingerprint(TaskSpec task) {
    // each task's own checksums, so the key can tell tasks apart
    return new TaskFingerprint(task.id(), Map.of("train", task.id() + "-a", "dev",
        task.id() + "-b", "test", task.id() + "-c"), 64, 64, 40);
  }

  private static ExperimentSpec spec(CorpusSpec corpus, TaskSpec... tasks) {
    return new ExperimentSpec("leakage", List.of(tasks), List.of(new TokenizerSpec.Nucleotide()),
        List.of(new ModelSpec.ConvNova(16, 5, 2, 4, 2, false)),
        List.of(PretrainSpec.Pretrain.of(new Objective.TokenMlm(0.15), corpus, 10)),
        new FinetuneSpec(1, 1e-3, 32, 0.1), 1);
  }

  private static String pretrainKey(ExperimentSpec spec) {
    Planner planner = new Planner(LeakageKeyTest::fingerprint, path -> "ff", null, null,
        (inputs, out, listener) -> { });
    List<Stage> stages = planner.plan(spec).stages(Stage.Kind.PRETRAIN);
    assertThat(stages).hasSize(1);
    return stages.get(0).key();
  }

  @Test
  void excludingChangesThePretrainingKeyAndDependsOnTheScreenedTasks() {
    TaskSpec tf0 = new TaskSpec.Gue("tf_0");
    TaskSpec tf1 = new TaskSpec.Gue("tf_1");
    CorpusSpec exclude = REPORT.withLeakage(CorpusSpec.Leakage.EXCLUDE);
    String reported = pretrainKey(spec(REPORT, tf0));
    // Reporting: the tasks screened do not change what is pretrained, nor the key.
    assertThat(pretrainKey(spec(REPORT, tf0, tf1))).isEqualTo(reported);
    String excluded = pretrainKey(spec(exclude, tf0));
    assertThat(excluded).isNotEqualTo(reported);
    assertThat(pretrainKey(spec(exclude, tf0, tf1))).isNotEqualTo(excluded);
    assertThat(pretrainKey(spec(exclude, tf0))).isEqualTo(excluded);
  }

  @Test
  void theScreenedTasksAreEveryTaskThatFineTunesFromThePretraining() {
    TaskSpec tf0 = new TaskSpec.Gue("tf_0");
    TaskSpec tf1 = new TaskSpec.Gue("tf_1");
    ExperimentSpec spec = spec(REPORT, tf0, tf1);
    assertThat(LocalPretrainRunner.screenedTasks(spec, spec.pretraining().get(0)))
        .containsExactly(tf0, tf1);
    assertThat(LocalPretrainRunner.screenedTasks(spec, new PretrainSpec.None())).isEmpty();
  }
}
