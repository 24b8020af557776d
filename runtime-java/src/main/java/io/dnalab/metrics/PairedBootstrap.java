package io.dnalab.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A paired bootstrap over test examples of a metric difference between two arms scored on the
 * same test examples: what test-set sampling alone does to a gain (with 1,000 test examples the
 * standard error of an MCC is about 2.5 points), beside the seed-level interval, which measures
 * training noise.
 *
 * <p>Each arm may hold several runs (seeds), paired run by run: run k of {@code treated} with run k
 * of {@code control}. The point estimate is the mean over pairs of metric(treated k) −
 * metric(control k) on all test examples, so it equals the seed-level mean gain of the same pairs.
 * Each of {@link #RESAMPLES} resamples draws n example indices with replacement (one draw shared by
 * every run of both arms, which is what makes it paired) and recomputes that mean difference on
 * them. The bounds are the 2.5% and 97.5% quantiles of the resampled differences by the inverse
 * empirical CDF (numpy's {@code method="inverted_cdf"}), as {@link MeanIntervals}; the draws come
 * from {@link SplittableRandom} seeded with {@code seed}, so the same inputs give the same interval.
 *
 * @param metric the metric compared
 * @param interval estimate (mean difference, treated − control) and percentile bounds
 * @param examples test examples per run
 * @param pairs paired runs the estimate averages (0 for {@link #ofArmMeans}: runs not paired)
 * @param resamples bootstrap resamples
 * @param seed seed of the resampling
 */
public record PairedBootstrap(Metric metric, Interval interval, int examples, int pairs,
    int resamples, long seed) {

  /** Resamples of {@link #of(Metric, int[], List, List)}: Monte Carlo error of a bound ≈ 0.03 sd. */
  public static final int RESAMPLES = 10_000;
  /** Seed of {@link #of(Metric, int[], List, List)}. */
  public static final long SEED = 20_261_202L;

  /** The metrics the bootstrap recomputes on each resample. */
  public enum Metric {
    /** Matthews correlation coefficient (multi-class: Gorodkin's R_K, as scikit-learn). */
    MCC("mcc"),
    ACCURACY("accuracy");

    private final String label;

    Metric(String label) {
      this.label = label;
    }

    /** The name the tables and {@code MetricSet} use. */
    public String label() {
      return label;
    }

    /** The metric named {@code name} ({@code mcc}, {@code accuracy}). */
    public static Metric named(String name) {
      for (Metric metric : values()) {
        if (metric.label.equals(name)) {
          return metric;
        }
      }
      throw new IllegalArgumentException("no bootstrap over test examples for metric '" + name
          + "'; it is computed for " + Arrays.stream(values()).map(Metric::label).toList());
    }

    double of(long[][] confusion) {
      return this == MCC ? ClassificationMetrics.mcc(confusion) : accuracy(confusion);
    }

    private static double accuracy(long[][] confusion) {
      long correct = 0;
      long total = 0;
      for (int k = 0; k < confusion.length; k++) {
        correct += confusion[k][k];
        total += Arrays.stream(confusion[k]).sum();
      }
      return total == 0 ? Double.NaN : (double) correct / total;
    }
  }

  /** {@link #RESAMPLES} resamples seeded with {@link #SEED}. */
  public static PairedBootstrap of(Metric metric, int[] labels, List<int[]> treated,
      List<int[]> control) {
    return of(metric, labels, treated, control, RESAMPLES, SEED);
  }

  /**
   * @param labels the true class of each test example
   * @param treated each treated run's predicted class per test example
   * @param control each control run's predicted class per test example, paired with
   *     {@code treated} by position
   */
  public static PairedBootstrap of(Metric metric, int[] labels, List<int[]> treated,
      List<int[]> control, int resamples, long seed) {
    if (treated.isEmpty() || treated.size() != control.size()) {
      throw new IllegalArgumentException("paired runs needed: " + treated.size()
          + " treated and " + control.size() + " control runs");
    }
    return resample(metric, labels, treated, control, resamples, seed, true);
  }

  /**
   * The same bootstrap over test examples for two arms whose runs are not paired (e.g. a
   * pretrained transformer's 3 × 2 runs and a from-scratch ConvNova's 3): the estimate is the mean
   * of the treated runs' metric minus the mean of the control runs' metric, recomputed on each
   * resample from one draw of example indices shared by every run of both arms, so the examples
   * stay paired while the runs are not. {@link #pairs} is 0 (no run pairs). {@link #RESAMPLES}
   * resamples seeded with {@link #SEED}.
   */
  public static PairedBootstrap ofArmMeans(Metric metric, int[] labels, List<int[]> treated,
      List<int[]> control) {
    if (treated.isEmpty() || control.isEmpty()) {
      throw new IllegalArgumentException("runs needed in both arms: " + treated.size()
          + " treated and " + control.size() + " control runs");
    }
    return resample(metric, labels, treated, control, RESAMPLES, SEED, false);
  }

  /**
   * @param pairedRuns whether run k of {@code treated} pairs with run k of {@code control} (the
   *     mean of the pair differences) or the arms are averaged apart (mean minus mean)
   */
  private static PairedBootstrap resample(Metric metric, int[] labels, List<int[]> treated,
      List<int[]> control, int resamples, long seed, boolean pairedRuns) {
    int n = labels.length;
    if (n == 0) {
      throw new IllegalArgumentException("no test examples to resample");
    }
    if (resamples < 100) {
      throw new IllegalArgumentException("at least 100 bootstrap resamples, got " + resamples);
    }
    int classes = 1 + Arrays.stream(labels).max().getAsInt();
    for (int[][] arm : List.of(treated.toArray(int[][]::new), control.toArray(int[][]::new))) {
      for (int[] predictions : arm) {
        if (predictions.length != n) {
          throw new IllegalArgumentException("a run has " + predictions.length
              + " predictions for " + n + " test examples");
        }
        classes = Math.max(classes, 1 + Arrays.stream(predictions).max().getAsInt());
      }
    }
    int[] everyExampleOnce = new int[n];
    Arrays.fill(everyExampleOnce, 1);
    double estimate = pairedRuns
        ? meanDifference(metric, labels, treated, control, everyExampleOnce, classes)
        : armMeanDifference(metric, labels, treated, control, everyExampleOnce, classes);

    SplittableRandom random = new SplittableRandom(seed);
    double[] differences = new double[resamples];
    int[] drawn = new int[n]; // times each example is drawn in this resample
    for (int b = 0; b < resamples; b++) {
      Arrays.fill(drawn, 0);
      for (int i = 0; i < n; i++) {
        drawn[random.nextInt(n)]++;
      }
      differences[b] = pairedRuns
          ? meanDifference(metric, labels, treated, control, drawn, classes)
          : armMeanDifference(metric, labels, treated, control, drawn, classes);
    }
    Arrays.sort(differences);
    double alpha = (1 - MeanIntervals.LEVEL) / 2;
    Interval interval = new Interval(estimate, inverseCdf(differences, alpha),
        inverseCdf(differences, 1 - alpha), MeanIntervals.LEVEL,
        Interval.Method.EXAMPLE_BOOTSTRAP, n);
    return new PairedBootstrap(metric, interval, n, pairedRuns ? treated.size() : 0, resamples,
        seed);
  }

  /** The mean over pairs of metric(treated) − metric(control), examples weighted by {@code drawn}. */
  private static double meanDifference(Metric metric, int[] labels, List<int[]> treated,
      List<int[]> control, int[] drawn, int classes) {
    double sum = 0;
    for (int k = 0; k < treated.size(); k++) {
      sum += metric.of(confusion(labels, treated.get(k), drawn, classes))
          - metric.of(confusion(labels, control.get(k), drawn, classes));
    }
    return sum / treated.size();
  }

  /** The mean of metric(treated) over its runs minus that of metric(control), weighted by {@code drawn}. */
  private static double armMeanDifference(Metric metric, int[] labels, List<int[]> treated,
      List<int[]> control, int[] drawn, int classes) {
    double treatedSum = 0;
    for (int[] run : treated) {
      treatedSum += metric.of(confusion(labels, run, drawn, classes));
    }
    double controlSum = 0;
    for (int[] run : control) {
      controlSum += metric.of(confusion(labels, run, drawn, classes));
    }
    return treatedSum / treated.size() - controlSum / control.size();
  }

  /** Rows true class, columns predicted class, each example counted as often as it was drawn. */
  private static long[][] confusion(int[] labels, int[] predictions, int[] drawn, int classes) {
    long[][] confusion = new long[classes][classes];
    for (int i = 0; i < labels.length; i++) {
      // About a third of the examples (e^-1) are not drawn in a resample: skip them.
      if (drawn[i] != 0) {
        confusion[labels[i]][predictions[i]] += drawn[i];
      }
    }
    return confusion;
  }

  /** The smallest sorted value whose cumulative share (i + 1) / B reaches {@code q}. */
  private static double inverseCdf(double[] sorted, double q) {
    int index = (int) Math.ceil(q * sorted.length - 1e-9) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** {@code Δ +0.012 [-0.010, 0.034]} with {@code decimals} places. */
  public String format(int decimals) {
    return String.format(Locale.ROOT, "%+." + decimals + "f ", interval.estimate())
        + interval.format(decimals);
  }
}
