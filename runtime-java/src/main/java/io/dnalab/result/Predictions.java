package io.dnalab.result;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a model predicted for every example of one split, in the split's order: the class
 * probabilities (softmax of the logits, float32 as the model computed them), the predicted class
 * (the most probable; the lowest index on a tie) and the true label.
 *
 * <p>The arrays are the caller's: the record neither copies them nor compares them by value
 * ({@link #sameAs} does).
 *
 * @param split {@code dev} or {@code test}
 * @param sequenceIds one id per example: the task's record id where it has ids, else the example's
 *     index as text
 * @param labels true class per example
 * @param predicted predicted class per example
 * @param probabilities (N, K) class probabilities per example, rows summing to 1 within float
 *     rounding
 */
public record Predictions(String split, List<String> sequenceIds, int[] labels, int[] predicted,
    float[][] probabilities) {

  public Predictions {
    if (!RunColumns.SPLITS.contains(split)) {
      throw new IllegalArgumentException("split must be one of " + RunColumns.SPLITS + ", got \""
          + split + "\"");
    }
    sequenceIds = List.copyOf(sequenceIds);
    int n = labels.length;
    if (sequenceIds.size() != n || predicted.length != n || probabilities.length != n) {
      throw new IllegalArgumentException(split + " predictions: " + sequenceIds.size() + " ids, "
          + n + " labels, " + predicted.length + " predicted, " + probabilities.length
          + " probability rows; each must have one per example");
    }
  }

  /**
   * Predictions of a split from its labels and class probabilities; ids are the examples'
   * indices. The predicted class is the most probable, the lowest index on a tie (as argmax).
   */
  public static Predictions of(String split, int[] labels, float[][] probabilities) {
    List<String> ids = new ArrayList<>(labels.length);
    for (int i = 0; i < labels.length; i++) {
      ids.add(Integer.toString(i));
    }
    return of(split, ids, labels, probabilities);
  }

  /**
   * Predictions of a split from its examples' ids, labels and class probabilities; the predicted
   * class as in {@link #of(String, int[], float[][])}.
   */
  public static Predictions of(String split, List<String> sequenceIds, int[] labels,
      float[][] probabilities) {
    int[] predicted = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      predicted[i] = argmax(probabilities[i]);
    }
    return new Predictions(split, sequenceIds, labels, predicted, probabilities);
  }

  /**
   * The index of the largest value, the first on a tie: the rule of
   * {@code metrics.ClassificationMetrics#argmax}, so predictions and metrics agree.
   */
  public static int argmax(float[] values) {
    int best = 0;
    for (int k = 1; k < values.length; k++) {
      if (values[k] > values[best]) {
        best = k;
      }
    }
    return best;
  }

  public int size() {
    return labels.length;
  }

  /** Classes per example (the width of {@link #probabilities}); 0 for an empty split. */
  public int numClasses() {
    return probabilities.length == 0 ? 0 : probabilities[0].length;
  }

  /** The same split, ids, labels, predictions and probabilities, compared by value. */
  public boolean sameAs(Predictions other) {
    return split.equals(other.split) && sequenceIds.equals(other.sequenceIds)
        && Arrays.equals(labels, other.labels) && Arrays.equals(predicted, other.predicted)
        && Arrays.deepEquals(probabilities, other.probabilities);
  }
}
