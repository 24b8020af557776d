package io.dnalab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bootstrap over test examples against numpy 2.4.6. Both sides build the same 600 examples by
 * formula (labels, a treated arm wrong on 20% of them, a control wrong on 30%), then draw their
 * own 10,000 resamples:
 *
 * <pre>
 * import numpy as np
 * n = 600; i = np.arange(n)
 * labels = ((i * 37 + 11) % 100 &lt; 45).astype(int)
 * a = np.where((i * 53 + 7) % 100 &lt; 20, 1 - labels, labels)
 * b = np.where((i * 71 + 3) % 100 &lt; 30, 1 - labels, labels)
 * def mcc(y, p, w):
 *     c = np.zeros((2, 2)); np.add.at(c, (y, p), w)
 *     s = c.sum(); correct = np.trace(c); t = c.sum(1); q = c.sum(0)
 *     den = np.sqrt((s*s - (q*q).sum()) * (s*s - (t*t).sum()))
 *     return 0.0 if den == 0 else (correct*s - (q*t).sum()) / den
 * def acc(y, p, w): return (w * (y == p)).sum() / w.sum()
 * rng = np.random.default_rng(0); B = 10000
 * W = np.stack([np.bincount(rng.integers(0, n, n), minlength=n) for _ in range(B)])
 * for f in (mcc, acc):
 *     one = np.ones(n); est = f(labels, a, one) - f(labels, b, one)
 *     d = np.array([f(labels, a, w) - f(labels, b, w) for w in W])
 *     print(est, np.quantile(d, [0.025, 0.975], method="inverted_cdf"), d.std())
 * → mcc      0.19185356493545036 [0.08997733 0.29375794] sd 0.05243539244796008
 * → accuracy 0.10000000000000009 [0.04833333 0.15166667] sd 0.026312748747306675
 * </pre>
 *
 * The point estimate is the same computation on all examples (tolerance 1e-12). The bounds come
 * from different random draws: the Monte Carlo standard error of a 2.5% quantile from 10,000
 * resamples is about √(0.025·0.975/10⁴)/φ(1.96) ≈ 0.027 sd, so two independent runs differ by
 * about 0.038 sd; the tolerance, 0.15 sd, is four of those.
 */
class PairedBootstrapTest {
  private static final int N = 600;

  private static int[] labels() {
    int[] labels = new int[N];
    for (int i = 0; i < N; i++) {
      labels[i] = (i * 37 + 11) % 100 < 45 ? 1 : 0;
    }
    return labels;
  }

  /** The labels, flipped where {@code (i * multiplier + offset) % 100 < wrongPercent}. */
  private static int[] predictions(int[] labels, int multiplier, int offset, int wrongPercent) {
    int[] predicted = new int[N];
    for (int i = 0; i < N; i++) {
      predicted[i] = (i * multiplier + offset) % 100 < wrongPercent ? 1 - labels[i] : labels[i];
    }
    return predicted;
  }

  @Test
  void mccDifferenceMatchesNumpy() {
    int[] labels = labels();
    PairedBootstrap boot = PairedBootstrap.of(PairedBootstrap.Metric.MCC, labels,
        List.of(predictions(labels, 53, 7, 20)), List.of(predictions(labels, 71, 3, 30)));
    double sd = 0.05243539244796008;
    assertThat(boot.interval().estimate()).isCloseTo(0.19185356493545036, within(1e-12));
    assertThat(boot.interval().low()).isCloseTo(0.08997733, within(0.15 * sd));
    assertThat(boot.interval().high()).isCloseTo(0.29375794, within(0.15 * sd));
    assertThat(boot.interval().method()).isEqualTo(Interval.Method.EXAMPLE_BOOTSTRAP);
    assertThat(boot.examples()).isEqualTo(N);
    assertThat(boot.pairs()).isEqualTo(1);
  }

  @Test
  void accuracyDifferenceMatchesNumpy() {
    int[] labels = labels();
    PairedBootstrap boot = PairedBootstrap.of(PairedBootstrap.Metric.ACCURACY, labels,
        List.of(predictions(labels, 53, 7, 20)), List.of(predictions(labels, 71, 3, 30)));
    double sd = 0.026312748747306675;
    assertThat(boot.interval().estimate()).isCloseTo(0.10000000000000009, within(1e-12));
    assertThat(boot.interval().low()).isCloseTo(0.04833333, within(0.15 * sd));
    assertThat(boot.interval().high()).isCloseTo(0.15166667, within(0.15 * sd));
  }

  @Test
  void theSameInputsAndSeedGiveTheSameIntervalAndAnotherSeedAnother() {
    int[] labels = labels();
    List<int[]> treated = List.of(predictions(labels, 53, 7, 20));
    List<int[]> control = List.of(predictions(labels, 71, 3, 30));
    PairedBootstrap first = PairedBootstrap.of(PairedBootstrap.Metric.MCC, labels, treated,
        control, 2000, 7);
    PairedBootstrap again = PairedBootstrap.of(PairedBootstrap.Metric.MCC, labels, treated,
        control, 2000, 7);
    PairedBootstrap otherSeed = PairedBootstrap.of(PairedBootstrap.Metric.MCC, labels, treated,
        control, 2000, 8);
    assertThat(again.interval()).isEqualTo(first.interval());
    assertThat(otherSeed.interval().estimate()).isEqualTo(first.interval().estimate());
    assertThat(otherSeed.interval().low()).isNotEqualTo(first.interval().low());
  }

  @Test
  void severalPairedRunsAverageTheirDifferences() {
    int[] labels = labels();
    int[] a1 = predictions(labels, 53, 7, 20);
    int[] a2 = predictions(labels, 13, 5, 10);
    int[] b1 = predictions(labels, 71, 3, 30);
    int[] b2 = predictions(labels, 29, 1, 25);
    PairedBootstrap boot = PairedBootstrap.of(PairedBootstrap.Metric.ACCURACY, labels,
        List.of(a1, a2), List.of(b1, b2));
    // Accuracies 0.8, 0.9 against 0.7, 0.75: mean difference (0.1 + 0.15) / 2.
    double expected = ((ClassificationMetrics.accuracy(labels, a1)
        - ClassificationMetrics.accuracy(labels, b1)) + (ClassificationMetrics.accuracy(labels, a2)
        - ClassificationMetrics.accuracy(labels, b2))) / 2;
    assertThat(boot.interval().estimate()).isCloseTo(expected, within(1e-12));
    assertThat(boot.interval().estimate()).isCloseTo(0.125, within(1e-12));
    assertThat(boot.pairs()).isEqualTo(2);
    assertThat(boot.interval().low()).isLessThan(0.125);
    assertThat(boot.interval().high()).isGreaterThan(0.125);
  }

  @Test
  void identicalArmsHaveAZeroWidthInterval() {
    int[] labels = labels();
    int[] same = predictions(labels, 53, 7, 20);
    PairedBootstrap boot = PairedBootstrap.of(PairedBootstrap.Metric.MCC, labels, List.of(same),
        List.of(same.clone()));
    assertThat(boot.interval().low()).isEqualTo(0.0);
    assertThat(boot.interval().high()).isEqualTo(0.0);
  }

  @Test
  void refusesUnpairedOrMisSizedRuns() {
    int[] labels = labels();
    int[] a = predictions(labels, 53, 7, 20);
    assertThatThrownBy(() -> PairedBootstrap.of(PairedBootstrap.Metric.MCC, labels, List.of(a),
        List.of())).hasMessage("paired runs needed: 1 treated and 0 control runs");
    assertThatThrownBy(() -> PairedBootstrap.of(PairedBootstrap.Metric.MCC, labels, List.of(a),
        List.of(new int[3]))).hasMessage("a run has 3 predictions for 600 test examples");
    assertThatThrownBy(() -> PairedBootstrap.Metric.named("f1"))
        .hasMessageContaining("computed for [mcc, accuracy]");
  }

  @Test
  void armMeansWithUnequalRunCountsEstimateMeanMinusMean() {
    int[] labels = labels();
    // Wrong on exactly 20%, 25% and 30% of the examples: each residue mod 100 occurs 6 times.
    int[] twenty = predictions(labels, 53, 7, 20);
    int[] twentyFive = predictions(labels, 53, 7, 25);
    int[] thirty = predictions(labels, 71, 3, 30);
    PairedBootstrap boot = PairedBootstrap.ofArmMeans(PairedBootstrap.Metric.ACCURACY, labels,
        List.of(twenty, twentyFive), List.of(thirty));
    // (0.80 + 0.75) / 2 − 0.70, by hand.
    assertThat(boot.interval().estimate()).isCloseTo(0.075, within(1e-12));
    assertThat(boot.interval().low()).isLessThan(0.075);
    assertThat(boot.interval().high()).isGreaterThan(0.075);
    assertThat(boot.pairs()).isZero();
    assertThat(boot.examples()).isEqualTo(N);
  }

  @Test
  void armMeansWithEqualRunCountsAgreeWithThePairedBootstrap() {
    int[] labels = labels();
    List<int[]> treated = List.of(predictions(labels, 53, 7, 20), predictions(labels, 41, 9, 15));
    List<int[]> control = List.of(predictions(labels, 71, 3, 30), predictions(labels, 29, 5, 35));
    PairedBootstrap paired = PairedBootstrap.of(PairedBootstrap.Metric.MCC, labels, treated,
        control);
    PairedBootstrap arms = PairedBootstrap.ofArmMeans(PairedBootstrap.Metric.MCC, labels, treated,
        control);
    // The same draws; the mean of pair differences equals the difference of the arm means up to
    // rounding, so every quantile agrees to 1e-12.
    assertThat(arms.interval().estimate()).isCloseTo(paired.interval().estimate(), within(1e-12));
    assertThat(arms.interval().low()).isCloseTo(paired.interval().low(), within(1e-12));
    assertThat(arms.interval().high()).isCloseTo(paired.interval().high(), within(1e-12));
    assertThatThrownBy(() -> PairedBootstrap.ofArmMeans(PairedBootstrap.Metric.MCC, labels,
        treated, List.of())).hasMessage("runs needed in both arms: 2 treated and 0 control runs");
  }
}
