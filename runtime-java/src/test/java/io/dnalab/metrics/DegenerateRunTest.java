package io.dnalab.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.result.MetricSet;
import io.dnalab.result.Predictions;
import java.util.List;
import org.junit.jupiter.api.Test;

class DegenerateRunTest {
  private static MetricSet dev(double mcc) {
    return new MetricSet(10, 0.5, mcc, 0.5, 0.5, 0.5, 0.7);
  }

  private static Predictions test(int[] labels, int[] predicted) {
    float[][] probabilities = new float[labels.length][];
    for (int i = 0; i < labels.length; i++) {
      probabilities[i] = predicted[i] == 0 ? new float[] {0.9f, 0.1f} : new float[] {0.1f, 0.9f};
    }
    return Predictions.of("test", labels, probabilities);
  }

  @Test
  void oneClassPredictedForATestSplitOfTwoClassesIsFlagged() {
    Predictions collapsed = test(new int[] {0, 1, 0, 1}, new int[] {1, 1, 1, 1});
    assertThat(collapsed.predicted()).containsExactly(1, 1, 1, 1);
    assertThat(DegenerateRun.reason(List.of(dev(0.3)), collapsed))
        .isEqualTo("test predictions all class 1");
    // A split whose labels are all one class is predicted right by one class: not a collapse.
    assertThat(DegenerateRun.reason(List.of(dev(0.3)),
        test(new int[] {1, 1, 1}, new int[] {1, 1, 1}))).isNull();
    assertThat(DegenerateRun.reason(List.of(dev(0.3)),
        test(new int[] {0, 1, 0}, new int[] {0, 1, 1}))).isNull();
  }

  @Test
  void devMccAtOrBelowChanceAtEveryEvaluationIsFlagged() {
    Predictions fine = test(new int[] {0, 1}, new int[] {0, 1});
    assertThat(DegenerateRun.reason(List.of(dev(0.0), dev(-0.1), dev(Double.NaN)), fine))
        .isEqualTo("dev MCC <= 0 at all 3 evaluations");
    assertThat(DegenerateRun.reason(List.of(dev(0.0), dev(0.01)), fine))
        .as("one evaluation above chance").isNull();
    assertThat(DegenerateRun.reason(List.of(dev(0.0)),
        test(new int[] {0, 1}, new int[] {0, 0})))
        .isEqualTo("test predictions all class 0; dev MCC <= 0 at all 1 evaluations");
  }
}
