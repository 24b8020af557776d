package io.dnalab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Holm against statsmodels 0.15.0:
 *
 * <pre>
 * from statsmodels.stats.multitest import multipletests
 * multipletests([0.01, 0.04, 0.03, 0.005, 0.20, 0.04], method='holm')[1]
 *   → [0.05, 0.12, 0.12, 0.03, 0.2, 0.12]
 * multipletests([0.5, 0.001, 0.8], method='holm')[1]
 *   → [1.0, 0.003, 1.0]
 * </pre>
 */
class HolmTest {

  @Test
  void matchesStatsmodelsWithTiesAndTheRunningMaximum() {
    double[] adjusted = Holm.adjust(0.01, 0.04, 0.03, 0.005, 0.20, 0.04);
    double[] statsmodels = {0.05, 0.12, 0.12, 0.03, 0.2, 0.12};
    for (int i = 0; i < adjusted.length; i++) {
      assertThat(adjusted[i]).as("p %d", i).isCloseTo(statsmodels[i], within(1e-12));
    }
  }

  @Test
  void capsAtOne() {
    assertThat(Holm.adjust(0.5, 0.001, 0.8)).containsExactly(new double[] {1.0, 0.003, 1.0},
        within(1e-12));
  }

  @Test
  void undefinedPValuesStayOutOfTheFamily() {
    // Two defined p-values: m = 2, not 3. statsmodels on [0.01, 0.04]: [0.02, 0.04].
    double[] adjusted = Holm.adjust(0.01, Double.NaN, 0.04);
    assertThat(adjusted[0]).isCloseTo(0.02, within(1e-12));
    assertThat(adjusted[1]).isNaN();
    assertThat(adjusted[2]).isCloseTo(0.04, within(1e-12));
  }

  @Test
  void refusesValuesOutsideZeroOne() {
    assertThatThrownBy(() -> Holm.adjust(0.1, 1.5)).hasMessage(
        "p-value 1 is 1.5: must lie in [0, 1]");
  }
}
