package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.engine.TorchNatives;
import io.dnalab.spec.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fine-tuning killed mid-run resumes from its training state and ends as if never stopped. */
class FineTuneResumeTest {
  static final ModelSpec MODEL = new ModelSpec.ConvNova(16, 5, 3, 4, 2, false);
  /** 256 / 32 = 8 steps per epoch, 24 in all; states at 4, 8, 12, 16, 20. */
  static final FineTuneConfig CONFIG = new FineTuneConfig(3, 3e-3, 32, 0.1,
      LearningRateSchedule.Kind.WARMUP_COSINE, 0.05, 0.1, 1.0, 0, "mcc", 64, 0, 11);
  static final int EVERY = 4;
  static final String KEY = "0123456789abcdef";

  static SequenceTask task() {
    return SyntheticTasks.motifs(2, 256, 64, 64, 40, 50, 9);
  }

  static FineTuner.Checkpointing checkpointing(Path state) {
    return new FineTuner.Checkpointing(state, KEY, EVERY);
  }

  @TempDir
  Path dir;

  @Test
  void aFineTuningKilledBySigkillResumesToBitIdenticalParameters() throws Exception {
    Path state = dir.resolve("partial").resolve("training.state");
    Path log = dir.resolve("child.log");
    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", classpath,
        FineTuneResumeChild.class.getName(), state.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    // The child must sum in the same order as this JVM: the same intra-op thread count.
    DnalabEngine.startDefault();
    builder.environment().put("DNALAB_THREADS", Integer.toString(TorchNatives.intraOpThreads()));
    Process child = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    // Kill after the state at step 12: mid-epoch 2, with a dev history and a best snapshot.
    while (child.isAlive() && System.nanoTime() < deadline
        && !(Files.exists(log) && Files.readString(log).contains("checkpoint 12"))) {
      Thread.sleep(50);
    }
    assertThat(Files.readString(log)).as("the child's log").contains("checkpoint 12")
        .doesNotContain("child finished");
    child.destroyForcibly(); // SIGKILL
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(state).isRegularFile();

    List<Long> resumedSteps = new ArrayList<>();
    List<float[][]> resumedParameters = new ArrayList<>();
    FineTuneResult resumed = FineTuner.nucleotide().run(task(), MODEL, null, CONFIG,
        checkpointing(state), new TrainingListener() {
          @Override
          public void onStep(int epoch, long step, long totalSteps, double loss, double lr) {
            resumedSteps.add(step);
          }
        }, resumedParameters::add);
    assertThat(resumedSteps.get(0)).as("resumed after the child's state").isGreaterThan(12);
    assertThat(resumedSteps.get(resumedSteps.size() - 1)).isEqualTo(24);

    List<float[][]> straightParameters = new ArrayList<>();
    FineTuneResult straight = FineTuner.nucleotide().run(task(), MODEL, null, CONFIG, null,
        TrainingListener.NONE, straightParameters::add);
    assertSameRun(resumed, resumedParameters.get(0), straight, straightParameters.get(0));
  }

  /** A run that dies in epoch 2 (BERT: dropout draws) resumes to the uninterrupted numbers. */
  @Test
  void aCrashedBertFineTuningWithDropoutResumesToBitIdenticalParameters() {
    ModelSpec bert = new ModelSpec.Bert(1, 32, 2, 64); // dropout 0.1
    SequenceTask task = SyntheticTasks.motifs(2, 128, 32, 32, 30, 40, 4);
    FineTuneConfig config = CONFIG.withEpochs(2); // 4 steps per epoch, 8 in all
    Path state = dir.resolve("bert.state");
    FineTuner.Checkpointing every3 = new FineTuner.Checkpointing(state, KEY, 3);
    assertThatThrownBy(() -> FineTuner.nucleotide().run(task, bert, null, config, every3,
        new TrainingListener() {
          @Override
          public void onStep(int epoch, long step, long totalSteps, double loss, double lr) {
            if (step == 7) {
              throw new IllegalStateException("crash at step 7");
            }
          }
        })).hasMessage("crash at step 7");
    assertThat(state).isRegularFile(); // written at step 6

    List<float[][]> resumedParameters = new ArrayList<>();
    FineTuneResult resumed = FineTuner.nucleotide().run(task, bert, null, config, every3,
        TrainingListener.NONE, resumedParameters::add);
    List<float[][]> straightParameters = new ArrayList<>();
    FineTuneResult straight = FineTuner.nucleotide().run(task, bert, null, config, null,
        TrainingListener.NONE, straightParameters::add);
    assertSameRun(resumed, resumedParameters.get(0), straight, straightParameters.get(0));

    assertThatThrownBy(() -> FineTuner.nucleotide().run(task, bert, null, config,
        new FineTuner.Checkpointing(state, "fedcba9876543210", 3), TrainingListener.NONE))
        .hasMessageStartingWith(state.toString()).hasMessageContaining("another run");
  }

  /**
   * A state written after an epoch's last step but before its dev evaluation: the resumed run
   * takes no batch of that epoch, evaluates it, and goes on.
   */
  @Test
  void aStateAtAnEpochsEndResumesWithItsDevEvaluation() {
    Path state = dir.resolve("epoch-end.state");
    FineTuner.Checkpointing every8 = new FineTuner.Checkpointing(state, KEY, 8);
    List<Integer> epochsEvaluated = new ArrayList<>();
    assertThatThrownBy(() -> FineTuner.nucleotide().run(task(), MODEL, null, CONFIG, every8,
        new TrainingListener() {
          @Override
          public void onStep(int epoch, long step, long totalSteps, double loss, double lr) {
            if (step == 9) {
              throw new IllegalStateException("crash at step 9");
            }
          }
        })).hasMessage("crash at step 9");
    List<float[][]> resumedParameters = new ArrayList<>();
    FineTuneResult resumed = FineTuner.nucleotide().run(task(), MODEL, null, CONFIG, every8,
        new TrainingListener() {
          @Override
          public void onEpochEnd(int epoch, io.dnalab.result.MetricSet dev, boolean improved) {
            epochsEvaluated.add(epoch);
          }
        }, resumedParameters::add);
    assertThat(epochsEvaluated).containsExactly(1, 2, 3);
    List<float[][]> straightParameters = new ArrayList<>();
    FineTuneResult straight = FineTuner.nucleotide().run(task(), MODEL, null, CONFIG, null,
        TrainingListener.NONE, straightParameters::add);
    assertSameRun(resumed, resumedParameters.get(0), straight, straightParameters.get(0));
  }

  /** Same device and thread count: the same computation, so bit-identical. */
  private static void assertSameRun(FineTuneResult resumed, float[][] resumedParameters,
      FineTuneResult straight, float[][] straightParameters) {
    assertThat(resumedParameters.length).isEqualTo(straightParameters.length);
    for (int i = 0; i < resumedParameters.length; i++) {
      assertThat(resumedParameters[i]).as("kept parameter %d", i)
          .containsExactly(straightParameters[i]);
    }
    assertThat(resumed.devHistory()).isEqualTo(straight.devHistory());
    assertThat(resumed.test()).isEqualTo(straight.test());
    assertThat(resumed.bestEpoch()).isEqualTo(straight.bestEpoch());
    assertThat(resumed.steps()).isEqualTo(straight.steps());
    assertThat(resumed.tokensSeen()).isEqualTo(straight.tokensSeen());
  }
}
