package io.dnalab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SpreadTest {
  @Test
  void sampleStandardDeviation() {
    // mean 0.7; squared deviations 0.0001 + 0 + 0.0001 = 0.0002; / (3 - 1) = 0.0001; sqrt = 0.01
    Spread spread = Spread.of(0.69, 0.70, 0.71);
    assertThat(spread.mean()).isCloseTo(0.70, within(1e-12));
    assertThat(spread.sd()).isCloseTo(0.01, within(1e-12));
    assertThat(spread.n()).isEqualTo(3);
    assertThat(spread.format(3)).isEqualTo("0.700 ± 0.010");
  }

  @Test
  void oneSeedHasNoSpread() {
    assertThat(Spread.of(0.5).sd()).isNaN();
    assertThat(Spread.of(0.5).format(2)).isEqualTo("0.50");
    assertThatThrownBy(Spread::of).hasMessage("no values to summarise");
  }
}
