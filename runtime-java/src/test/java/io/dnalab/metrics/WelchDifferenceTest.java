package io.dnalab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Welch's interval against scipy 1.x ({@code stats.ttest_ind(a, b, equal_var=False)}, its {@code
 * df}, {@code pvalue} and {@code confidence_interval(0.95)}):
 *
 * <pre>
 * from scipy import stats
 * r = stats.ttest_ind([0.42, 0.46, 0.44], [0.50, 0.53, 0.49], equal_var=False)
 * → df 3.9936102236421727, CI (-0.11296996570934204, -0.02036336762399138), p 0.016180959436561844
 * r = stats.ttest_ind([0.42, 0.46, 0.44], [0.30, 0.31], equal_var=False)
 * → df 2.635036496350365, CI (0.09162697919526697, 0.17837302080473305), p 0.0030192923817312107
 * r = stats.ttest_ind([0.42, 0.46, 0.44], [0.40, 0.47, 0.41], equal_var=False)
 * → df 3.0356246864024103, CI (-0.06481910735818097, 0.09148577402484759), p 0.6266905625275712
 * </pre>
 *
 * A different computation of the same quantities (commons-math's t quantile is found by a
 * numerical solver to about 1e-9): tolerance 1e-7.
 */
class WelchDifferenceTest {
  private static final double TOLERANCE = 1e-7;

  @Test
  void anIntervalBelowZeroIsWorse() {
    WelchDifference d = WelchDifference.of(new double[] {0.42, 0.46, 0.44},
        new double[] {0.50, 0.53, 0.49});
    assertThat(d.mean()).isCloseTo(0.44 - 0.50666666666666667, within(1e-12));
    assertThat(d.degreesOfFreedom()).isCloseTo(3.9936102236421727, within(TOLERANCE));
    assertThat(d.interval().low()).isCloseTo(-0.11296996570934204, within(TOLERANCE));
    assertThat(d.interval().high()).isCloseTo(-0.02036336762399138, within(TOLERANCE));
    assertThat(d.pValue()).isCloseTo(0.016180959436561844, within(TOLERANCE));
    assertThat(d.interval().method()).isEqualTo(Interval.Method.WELCH_T);
    assertThat(d.interval().n()).isEqualTo(6);
    assertThat(d.verdict()).isEqualTo(Verdict.WORSE);
  }

  @Test
  void unequalArmsAndAnIntervalAboveZeroIsBetter() {
    WelchDifference d = WelchDifference.of(new double[] {0.42, 0.46, 0.44},
        new double[] {0.30, 0.31});
    assertThat(d.degreesOfFreedom()).isCloseTo(2.635036496350365, within(TOLERANCE));
    assertThat(d.interval().low()).isCloseTo(0.09162697919526697, within(TOLERANCE));
    assertThat(d.interval().high()).isCloseTo(0.17837302080473305, within(TOLERANCE));
    assertThat(d.pValue()).isCloseTo(0.0030192923817312107, within(TOLERANCE));
    assertThat(d.verdict()).isEqualTo(Verdict.BETTER);
    assertThat(d.treatedSpread().n()).isEqualTo(3);
    assertThat(d.controlSpread().n()).isEqualTo(2);
  }

  @Test
  void anIntervalAcrossZeroIsNoClearDifference() {
    WelchDifference d = WelchDifference.of(new double[] {0.42, 0.46, 0.44},
        new double[] {0.40, 0.47, 0.41});
    assertThat(d.interval().low()).isCloseTo(-0.06481910735818097, within(TOLERANCE));
    assertThat(d.interval().high()).isCloseTo(0.09148577402484759, within(TOLERANCE));
    assertThat(d.pValue()).isCloseTo(0.6266905625275712, within(TOLERANCE));
    assertThat(d.verdict()).isEqualTo(Verdict.NO_CLEAR_DIFFERENCE);
  }

  @Test
  void oneUnitInAnArmOrNoSpreadGivesNoInterval() {
    WelchDifference one = WelchDifference.of(new double[] {0.42, 0.46, 0.44},
        new double[] {0.10});
    assertThat(one.interval().defined()).isFalse();
    assertThat(one.interval().method()).isEqualTo(Interval.Method.NONE);
    assertThat(one.mean()).isCloseTo(0.34, within(1e-12));
    // A large difference without an interval is still no verdict.
    assertThat(one.verdict()).isEqualTo(Verdict.NO_CLEAR_DIFFERENCE);
    assertThat(one.pValue()).isNaN();
    WelchDifference flat = WelchDifference.of(new double[] {0.4, 0.4}, new double[] {0.1, 0.1});
    assertThat(flat.interval().defined()).isFalse();
    assertThat(flat.verdict()).isEqualTo(Verdict.NO_CLEAR_DIFFERENCE);
  }

  @Test
  void emptyOrNonFiniteArmsAreRefusedByName() {
    assertThatThrownBy(() -> WelchDifference.of(new double[0], new double[] {0.1}))
        .hasMessage("the treated arm has no values to compare");
    assertThatThrownBy(() -> WelchDifference.of(new double[] {0.1}, new double[] {0.2,
        Double.NaN})).hasMessage("control value 1 is NaN: a difference needs finite values");
  }
}
