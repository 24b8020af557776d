package io.dnalab.metrics;

import io.dnalab.result.MetricSet;
import java.util.Arrays;

/**
 * Classification metrics over plain arrays, defined exactly as scikit-learn defines them, so a
 * number printed here can be compared with a number printed by the papers' Python code.
 *
 * <p>Labels are class indices {@code 0..k-1}. Scores are the model's probability (or any monotone
 * score) of the positive class for binary tasks, or one row of class probabilities per example.
 */
public final class ClassificationMetrics {
  private ClassificationMetrics() {}

  /** Fraction of predictions equal to the label. */
  public static double accuracy(int[] labels, int[] predictions) {
    requireSameLength(labels, predictions);
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == predictions[i]) {
        correct++;
      }
    }
    return (double) correct / labels.length;
  }

  /**
   * The {@code k × k} confusion matrix: rows are true classes, columns predicted classes.
   *
   * @throws IllegalArgumentException when a label or prediction is outside {@code 0..k-1}
   */
  public static long[][] confusionMatrix(int[] labels, int[] predictions, int numClasses) {
    requireSameLength(labels, predictions);
    long[][] matrix = new long[numClasses][numClasses];
    for (int i = 0; i < labels.length; i++) {
      checkClass("label", i, labels[i], numClasses);
      checkClass("prediction", i, predictions[i], numClasses);
      matrix[labels[i]][predictions[i]]++;
    }
    return matrix;
  }

  /**
   * Matthews correlation coefficient; for more than two classes Gorodkin's R_K (2004), which is
   * what {@code sklearn.metrics.matthews_corrcoef} computes:
   *
   * <pre>
   *   MCC = (c·s − Σ_k p_k·t_k) / sqrt((s² − Σ_k p_k²) · (s² − Σ_k t_k²))
   * </pre>
   *
   * with {@code c} correct predictions, {@code s} samples, {@code t_k} true and {@code p_k}
   * predicted counts of class k. For two classes this equals the usual
   * (TP·TN − FP·FN)/sqrt(…). When the denominator is 0 (all labels or all predictions one class)
   * the result is 0, as in scikit-learn.
   */
  public static double mcc(int[] labels, int[] predictions, int numClasses) {
    return mcc(confusionMatrix(labels, predictions, numClasses));
  }

  /** {@link #mcc(int[], int[], int)} of a confusion matrix (rows true, columns predicted). */
  public static double mcc(long[][] confusion) {
    int numClasses = confusion.length;
    double samples = 0;
    for (long[] row : confusion) {
      for (long count : row) {
        samples += count;
      }
    }
    double correct = 0;
    double sumPredTrue = 0;
    double sumPredSquared = 0;
    double sumTrueSquared = 0;
    for (int k = 0; k < numClasses; k++) {
      correct += confusion[k][k];
      double trueK = 0;
      double predK = 0;
      for (int j = 0; j < numClasses; j++) {
        trueK += confusion[k][j];
        predK += confusion[j][k];
      }
      sumPredTrue += predK * trueK;
      sumPredSquared += predK * predK;
      sumTrueSquared += trueK * trueK;
    }
    double covariance = correct * samples - sumPredTrue;
    // One square root of the product (not a product of roots): exact 1.0 for perfect predictions.
    double denominator = Math.sqrt(
        (samples * samples - sumPredSquared) * (samples * samples - sumTrueSquared));
    return denominator == 0 ? 0.0 : covariance / denominator;
  }

  /**
   * Unweighted mean of per-class F1 = 2TP / (2TP + FP + FN), over the classes that occur in the
   * labels or the predictions (scikit-learn's {@code f1_score(average="macro")}); a class with no
   * true and no predicted example is left out, a class predicted but never right counts as 0.
   */
  public static double macroF1(int[] labels, int[] predictions, int numClasses) {
    long[][] confusion = confusionMatrix(labels, predictions, numClasses);
    double sum = 0;
    int present = 0;
    for (int k = 0; k < numClasses; k++) {
      long truePositive = confusion[k][k];
      long falseNegative = 0;
      long falsePositive = 0;
      for (int j = 0; j < numClasses; j++) {
        if (j != k) {
          falseNegative += confusion[k][j];
          falsePositive += confusion[j][k];
        }
      }
      long denominator = 2 * truePositive + falsePositive + falseNegative;
      if (denominator == 0) {
        continue; // class absent from labels and predictions
      }
      sum += 2.0 * truePositive / denominator;
      present++;
    }
    return present == 0 ? 0.0 : sum / present;
  }

  /**
   * Area under the ROC curve for a binary task: the probability that a random positive scores
   * higher than a random negative, ties counting one half (Mann–Whitney U / (n⁺·n⁻)), equal to
   * {@code sklearn.metrics.roc_auc_score}. NaN when only one class is present (scikit-learn
   * raises there; a table shows NaN instead of failing a whole experiment).
   */
  public static double auroc(int[] labels, double[] positiveScores) {
    requireSameLength(labels, positiveScores);
    Integer[] order = sortedByScore(positiveScores);
    long positives = 0;
    for (int label : labels) {
      checkBinary(label);
      positives += label;
    }
    long negatives = labels.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    // Rank-sum with average ranks for tied scores.
    double positiveRankSum = 0;
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length
          && positiveScores[order[j + 1]] == positiveScores[order[i]]) {
        j++;
      }
      double averageRank = (i + j) / 2.0 + 1; // 1-based ranks i+1 .. j+1
      for (int m = i; m <= j; m++) {
        if (labels[order[m]] == 1) {
          positiveRankSum += averageRank;
        }
      }
      i = j + 1;
    }
    double u = positiveRankSum - positives * (positives + 1) / 2.0;
    return u / ((double) positives * negatives);
  }

  /**
   * Average precision, {@code sklearn.metrics.average_precision_score}: the sum over distinct
   * score thresholds (high to low) of {@code (R_n − R_{n−1}) · P_n}. Tied scores form one
   * threshold, so ties are not resolved optimistically. NaN when there is no positive label.
   */
  public static double auprc(int[] labels, double[] positiveScores) {
    requireSameLength(labels, positiveScores);
    Integer[] ascending = sortedByScore(positiveScores);
    long positives = 0;
    for (int label : labels) {
      checkBinary(label);
      positives += label;
    }
    if (positives == 0) {
      return Double.NaN;
    }
    double averagePrecision = 0;
    long truePositives = 0;
    long predictedPositives = 0;
    double previousRecall = 0;
    int i = ascending.length - 1;
    while (i >= 0) {
      double threshold = positiveScores[ascending[i]];
      // Take every example whose score equals this threshold.
      while (i >= 0 && positiveScores[ascending[i]] == threshold) {
        truePositives += labels[ascending[i]];
        predictedPositives++;
        i--;
      }
      double recall = (double) truePositives / positives;
      double precision = (double) truePositives / predictedPositives;
      averagePrecision += (recall - previousRecall) * precision;
      previousRecall = recall;
    }
    return averagePrecision;
  }

  /** Macro one-vs-rest AUROC over classes that have both positives and negatives. */
  public static double aurocOneVsRest(int[] labels, double[][] probabilities) {
    return macroOneVsRest(labels, probabilities, true);
  }

  /** Macro one-vs-rest average precision over classes that occur in the labels. */
  public static double auprcOneVsRest(int[] labels, double[][] probabilities) {
    return macroOneVsRest(labels, probabilities, false);
  }

  private static double macroOneVsRest(int[] labels, double[][] probabilities, boolean roc) {
    if (probabilities.length != labels.length) {
      throw new IllegalArgumentException("labels (" + labels.length + ") and probability rows ("
          + probabilities.length + ") differ in length");
    }
    int numClasses = probabilities.length == 0 ? 0 : probabilities[0].length;
    double sum = 0;
    int counted = 0;
    for (int k = 0; k < numClasses; k++) {
      int[] binary = new int[labels.length];
      double[] scores = new double[labels.length];
      for (int i = 0; i < labels.length; i++) {
        binary[i] = labels[i] == k ? 1 : 0;
        scores[i] = probabilities[i][k];
      }
      double value = roc ? auroc(binary, scores) : auprc(binary, scores);
      if (!Double.isNaN(value)) {
        sum += value;
        counted++;
      }
    }
    return counted == 0 ? Double.NaN : sum / counted;
  }

  /** The arg-max class of each row (first maximum wins, as numpy's argmax). */
  public static int[] argmax(double[][] probabilities) {
    int[] predictions = new int[probabilities.length];
    for (int i = 0; i < probabilities.length; i++) {
      double[] row = probabilities[i];
      int best = 0;
      for (int k = 1; k < row.length; k++) {
        if (row[k] > row[best]) {
          best = k;
        }
      }
      predictions[i] = best;
    }
    return predictions;
  }

  private static Integer[] sortedByScore(double[] scores) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      if (Double.isNaN(scores[i])) {
        throw new IllegalArgumentException("score " + i + " is NaN");
      }
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
    return order;
  }

  private static void checkBinary(int label) {
    if (label != 0 && label != 1) {
      throw new IllegalArgumentException("binary metric needs labels 0 or 1, got " + label);
    }
  }

  private static void checkClass(String what, int index, int value, int numClasses) {
    if (value < 0 || value >= numClasses) {
      throw new IllegalArgumentException(what + " " + index + " is " + value
          + ", outside 0.." + (numClasses - 1));
    }
  }

  private static void requireSameLength(int[] labels, int[] other) {
    if (labels.length != other.length) {
      throw new IllegalArgumentException("labels (" + labels.length + ") and predictions ("
          + other.length + ") differ in length");
    }
    if (labels.length == 0) {
      throw new IllegalArgumentException("no examples to score");
    }
  }

  private static void requireSameLength(int[] labels, double[] scores) {
    if (labels.length != scores.length) {
      throw new IllegalArgumentException("labels (" + labels.length + ") and scores ("
          + scores.length + ") differ in length");
    }
    if (labels.length == 0) {
      throw new IllegalArgumentException("no examples to score");
    }
  }

  /**
   * Scores class probabilities against labels.
   *
   * @param probabilities one row of {@code numClasses} probabilities per example
   * @param loss mean cross-entropy over the examples (NaN if not known)
   */
  public static MetricSet evaluate(int[] labels, double[][] probabilities, int numClasses, double loss) {
    int[] predictions = argmax(probabilities);
    double auroc;
    double auprc;
    if (numClasses == 2) {
      double[] positive = new double[labels.length];
      for (int i = 0; i < labels.length; i++) {
        positive[i] = probabilities[i][1];
      }
      auroc = auroc(labels, positive);
      auprc = auprc(labels, positive);
    } else {
      auroc = aurocOneVsRest(labels, probabilities);
      auprc = auprcOneVsRest(labels, probabilities);
    }
    return new MetricSet(labels.length,
        accuracy(labels, predictions),
        mcc(labels, predictions, numClasses),
        macroF1(labels, predictions, numClasses),
        auroc, auprc, loss);
  }
}
