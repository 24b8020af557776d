package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.data.SequenceTask;
import io.dnalab.metrics.ClassificationMetrics;
import io.dnalab.result.Predictions;
import io.dnalab.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/** The per-example predictions a fine-tuning run returns are the ones its metrics rest on. */
class FineTunePredictionsTest {
  private static final ModelSpec.ConvNova SMALL_CONVNOVA = new ModelSpec.ConvNova(32, 5, 3, 4, 2,
      false);

  @Test
  void devAndTestPredictionsOfTheKeptParametersAgreeWithTheirMetrics() {
    SequenceTask task = SyntheticTasks.motifs(2, 400, 100, 120, 40, 60, 11);
    FineTuneConfig config = new FineTuneConfig(3, 3e-3, 32, 0.1,
        LearningRateSchedule.Kind.WARMUP_COSINE, 0.05, 0.1, 1.0, 0, "mcc", 128, 0, 4);
    FineTuneResult run = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config,
        TrainingListener.NONE);
    Predictions test = run.testPredictions();
    Predictions dev = run.devPredictions();
    assertThat(test.split()).isEqualTo("test");
    assertThat(test.size()).isEqualTo(120).isEqualTo(run.test().examples());
    assertThat(dev.size()).isEqualTo(100);
    assertThat(test.sequenceIds()).startsWith("0", "1", "2");
    for (int i = 0; i < test.size(); i++) {
      assertThat(test.labels()[i]).isEqualTo(task.test().get(i).label());
      float sum = test.probabilities()[i][0] + test.probabilities()[i][1];
      assertThat(sum).as("softmax row %d", i).isCloseTo(1f,
          org.assertj.core.data.Offset.offset(1e-5f));
    }
    // Metrics recomputed from the kept predictions: the same computation, so the same values.
    assertThat(ClassificationMetrics.mcc(test.labels(), test.predicted(), 2))
        .isEqualTo(run.test().mcc());
    assertThat(ClassificationMetrics.accuracy(test.labels(), test.predicted()))
        .isEqualTo(run.test().accuracy());
    // The dev pass after training reads the kept parameters: its MCC is the kept epoch's.
    assertThat(ClassificationMetrics.mcc(dev.labels(), dev.predicted(), 2))
        .isEqualTo(run.dev().mcc());
    assertThat(run.test().mcc()).as("it learnt").isGreaterThan(0.5);
    assertThat(run.degenerate()).isNull();

    FineTuneResult again = FineTuner.nucleotide().run(task, SMALL_CONVNOVA, config,
        TrainingListener.NONE);
    assertThat(again.testPredictions().sameAs(test)).as("same seed, same predictions").isTrue();
    assertThat(again.devPredictions().sameAs(dev)).isTrue();
  }
}
