package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.data.SequenceTask;
import io.dnalab.result.MetricSet;
import io.dnalab.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FineTunerTest {
  /** Small enough for a few seconds on 2 cores, large enough to learn a 6-mer. */
  private static final ModelSpec.ConvNova SMALL_CONVNOVA = new ModelSpec.ConvNova(32, 5, 3, 4, 2,
      false);

  private static FineTuneConfig config(int epochs, long seed) {
    return new FineTuneConfig(epochs, 3e-3, 32, 0.1, LearningRateSchedule.Kind.WARMUP_COSINE,
        0.05, 0.1, 1.0, 0, "mcc", 128, 0, seed);
  }

  @Test
  void convNovaLearnsAMotifToHighAccuracyWithMixedLengths() {
    // Lengths 40..60: every batch is padded and masked.
    SequenceTask task = SyntheticTasks.motifs(2, 800, 200, 200, 40, 60, 1);
    List<Integer> epochsSeen = new ArrayList<>();
    FineTuneResult result = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config(4, 7),
        new TrainingListener() {
          @Override
          public void onEpochEnd(int epoch, MetricSet dev, boolean improved) {
            epochsSeen.add(epoch);
          }
        });
    assertThat(result.test().accuracy()).isGreaterThan(0.9);
    assertThat(result.test().mcc()).isGreaterThan(0.8);
    assertThat(result.steps()).isEqualTo(4 * 25);
    assertThat(epochsSeen).containsExactly(1, 2, 3, 4);
    assertThat(result.dev()).isEqualTo(result.devHistory().get(result.bestEpoch() - 1));
  }

  @Test
  void sameSeedGivesBitIdenticalMetricsAndAnotherSeedDoesNot() {
    SequenceTask task = SyntheticTasks.motifs(2, 256, 100, 100, 50, 50, 2);
    FineTuneResult first = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config(2, 5),
        TrainingListener.NONE);
    FineTuneResult second = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config(2, 5),
        TrainingListener.NONE);
    FineTuneResult other = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config(2, 6),
        TrainingListener.NONE);
    assertThat(second.devHistory()).isEqualTo(first.devHistory());
    assertThat(second.test()).isEqualTo(first.test());
    assertThat(other.test().loss()).isNotEqualTo(first.test().loss());
  }

  @Test
  void threeClassesWithConvNova() {
    SequenceTask task = SyntheticTasks.motifs(3, 1500, 150, 150, 48, 48, 3);
    FineTuneResult result = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config(4, 1),
        TrainingListener.NONE);
    assertThat(result.test().accuracy()).isGreaterThan(0.9);
    assertThat(result.test().mcc()).isGreaterThan(0.85);
  }

  @Test
  void unetAndCnnBaselineLearn() {
    SequenceTask task = SyntheticTasks.motifs(2, 600, 150, 150, 64, 64, 5);
    FineTuneResult unet = FineTuner.nucleotide().run(task, new ModelSpec.UNet(2, 16),
        config(4, 1), TrainingListener.NONE);
    FineTuneResult cnn = FineTuner.nucleotide().run(task, new ModelSpec.CnnBaseline(),
        config(4, 1), TrainingListener.NONE);
    assertThat(unet.test().accuracy()).isGreaterThan(0.9);
    // The reference CNN (no padding, small dense head, no activation before the output) learns
    // too, more slowly: 0.69 here.
    assertThat(cnn.test().accuracy()).isGreaterThan(0.6);
  }

  @Test
  void earlyStoppingKeepsTheBestEpoch() {
    // A learning rate of 1e-12 cannot change the dev score: epoch 1 stays best, patience 1 stops
    // after epoch 2.
    SequenceTask task = SyntheticTasks.motifs(2, 64, 64, 64, 30, 30, 4);
    FineTuneConfig frozen = new FineTuneConfig(6, 1e-12, 32, 0, LearningRateSchedule.Kind.CONSTANT,
        0, 0.1, 1.0, 1, "mcc", 64, 0, 1);
    FineTuneResult result = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, frozen,
        TrainingListener.NONE);
    assertThat(result.epochsRun()).isEqualTo(2);
    assertThat(result.bestEpoch()).isEqualTo(1);
    assertThat(result.steps()).isEqualTo(4);
  }

  @Test
  void rejectsUnknownSelectionMetric() {
    assertThatThrownBy(() -> new FineTuneConfig(1, 1e-3, 8, 0,
        LearningRateSchedule.Kind.CONSTANT, 0, 0.1, 1, 0, "r2", 8, 0, 1))
        .hasMessage("selectionMetric must be one of accuracy, mcc, f1, auroc, auprc (higher is "
            + "better), got \"r2\"");
  }
}
