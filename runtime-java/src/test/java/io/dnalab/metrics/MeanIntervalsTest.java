package io.dnalab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Every expected value here was computed independently with numpy 2.4 / scipy 1.17:
 *
 * <pre>
 * python3 -c "
 * import numpy as np, itertools; from scipy import stats
 * def t(v): v=np.array(v); return stats.t.interval(0.95, len(v)-1, loc=v.mean(), scale=stats.sem(v))
 * def exact(v):
 *     v=np.array(v); n=len(v)
 *     means=np.array([v[list(i)].mean() for i in itertools.product(range(n), repeat=n)])
 *     return np.percentile(means, [2.5, 97.5], method='inverted_cdf')
 * print(t([0.70,0.72,0.75]), t([0.1,0.3]), t([0.61,0.58,0.66,0.70,0.52,0.64,0.60,0.57,0.69]))
 * print(exact([0.70,0.72,0.75]), exact([0.1,0.4,0.35,0.9]), exact([0.1,0.4,0.35,0.9,0.2]),
 *       exact([0.3,-0.1,0.25,0.05,0.4,0.12,-0.02]))
 * v=np.round(np.random.default_rng(7).normal(0.5,0.1,30),4)
 * print(stats.bootstrap((v,), np.mean, n_resamples=200000, method='percentile', random_state=1))"
 * </pre>
 */
class MeanIntervalsTest {

  private static final double[] THIRTY = {0.5001, 0.5299, 0.4726, 0.4109, 0.4545, 0.4008, 0.506,
      0.634, 0.4508, 0.438, 0.549, 0.5357, 0.5105, 0.407, 0.4971, 0.5695, 0.3656, 0.4542, 0.3099,
      0.371, 0.3158, 0.4765, 0.3733, 0.5271, 0.5157, 0.4813, 0.2483, 0.4461, 0.4951, 0.5113};

  @Test
  void studentTMatchesScipy() {
    Interval three = MeanIntervals.studentT(0.70, 0.72, 0.75);
    assertThat(three.low()).isCloseTo(0.6608172385395754, within(1e-12));
    assertThat(three.high()).isCloseTo(0.7858494281270911, within(1e-12));
    assertThat(three.estimate()).isCloseTo(0.72333333333333, within(1e-12));
    assertThat(three.method()).isEqualTo(Interval.Method.STUDENT_T);

    Interval two = MeanIntervals.studentT(0.1, 0.3);
    assertThat(two.low()).isCloseTo(-1.0706204736174694, within(1e-12));
    assertThat(two.high()).isCloseTo(1.4706204736174693, within(1e-12));

    Interval nine = MeanIntervals.studentT(0.61, 0.58, 0.66, 0.70, 0.52, 0.64, 0.60, 0.57, 0.69);
    assertThat(nine.low()).isCloseTo(0.5735041919696178, within(1e-12));
    assertThat(nine.high()).isCloseTo(0.6642735858081601, within(1e-12));
  }

  @Test
  void exactBootstrapMatchesFullEnumeration() {
    // Three values: 27 resamples, 10 distinct means; the 2.5% and 97.5% points are min and max.
    Interval three = MeanIntervals.exactBootstrap(0.70, 0.72, 0.75);
    assertThat(three.low()).isCloseTo(0.70, within(1e-12));
    assertThat(three.high()).isCloseTo(0.75, within(1e-12));
    assertThat(three.method()).isEqualTo(Interval.Method.BOOTSTRAP_PERCENTILE);

    Interval four = MeanIntervals.exactBootstrap(0.1, 0.4, 0.35, 0.9);
    assertThat(four.low()).isCloseTo(0.175, within(1e-12));
    assertThat(four.high()).isCloseTo(0.7625, within(1e-12));

    Interval five = MeanIntervals.exactBootstrap(0.1, 0.4, 0.35, 0.9, 0.2);
    assertThat(five.low()).isCloseTo(0.18, within(1e-12));
    assertThat(five.high()).isCloseTo(0.66, within(1e-12));

    Interval seven = MeanIntervals.exactBootstrap(0.3, -0.1, 0.25, 0.05, 0.4, 0.12, -0.02);
    assertThat(seven.low()).isCloseTo(0.02142857142857, within(1e-12));
    assertThat(seven.high()).isCloseTo(0.26714285714286, within(1e-12));
  }

  @Test
  void monteCarloBootstrapAgreesWithScipyWithinResamplingError() {
    // scipy, 200,000 resamples: [0.42859, 0.48729]; ours draws 10,000, so agree to ~5% of width.
    Interval interval = MeanIntervals.bootstrap(THIRTY);
    double width = 0.48729333333333336 - 0.42858991666666674;
    assertThat(interval.low()).isCloseTo(0.42858991666666674, within(0.05 * width));
    assertThat(interval.high()).isCloseTo(0.48729333333333336, within(0.05 * width));
    assertThat(interval.estimate()).isCloseTo(0.45858666666666664, within(1e-12));
  }

  @Test
  void bootstrapIsDeterministic() {
    assertThat(MeanIntervals.bootstrap(THIRTY)).isEqualTo(MeanIntervals.bootstrap(THIRTY));
    assertThat(MeanIntervals.monteCarloBootstrap(10_000, MeanIntervals.SEED, THIRTY))
        .isEqualTo(MeanIntervals.bootstrap(THIRTY));
    // Another seed gives another (close) interval: the seed is really used.
    assertThat(MeanIntervals.monteCarloBootstrap(10_000, 1, THIRTY))
        .isNotEqualTo(MeanIntervals.bootstrap(THIRTY));
  }

  @Test
  void tablesUseTBelowTenValuesAndTheBootstrapFromTen() {
    assertThat(MeanIntervals.of(0.70, 0.72, 0.75).method()).isEqualTo(Interval.Method.STUDENT_T);
    assertThat(MeanIntervals.of(THIRTY).method())
        .isEqualTo(Interval.Method.BOOTSTRAP_PERCENTILE);
    double[] ten = java.util.Arrays.copyOf(THIRTY, 10);
    assertThat(MeanIntervals.of(ten)).isEqualTo(MeanIntervals.exactBootstrap(ten));
  }

  @Test
  void oneValueHasNoInterval() {
    Interval one = MeanIntervals.of(0.4);
    assertThat(one.defined()).isFalse();
    assertThat(one.method()).isEqualTo(Interval.Method.NONE);
    assertThat(one.excludesZero()).isFalse();
    assertThat(one.format(3)).isEqualTo("—");
    assertThat(MeanIntervals.bootstrap(0.4).defined()).isFalse();
  }

  @Test
  void badInputIsNamed() {
    assertThatThrownBy(MeanIntervals::of).hasMessageContaining("no values");
    assertThatThrownBy(() -> MeanIntervals.of(0.1, Double.NaN))
        .hasMessageContaining("value 1 is NaN");
    assertThatThrownBy(() -> MeanIntervals.exactBootstrap(new double[11]))
        .hasMessageContaining("at most 10 values, got 11");
  }

  @Test
  void formatsBounds() {
    assertThat(MeanIntervals.studentT(0.70, 0.72, 0.75).format(3)).isEqualTo("[0.661, 0.786]");
  }
}
