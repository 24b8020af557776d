package io.dnalab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dnalab.experiment.ModelSpec;
import org.junit.jupiter.api.Test;

class FinetuneBenchTest {

  @Test
  void sampleStandardDeviation() {
    // values 1, 2, 3, 6: mean 3, squared deviations 4 + 1 + 0 + 9 = 14, / (n − 1) = 14/3
    assertThat(FinetuneBench.sd(new double[] {1, 2, 3, 6})).isCloseTo(Math.sqrt(14.0 / 3),
        within(1e-12));
    assertThat(FinetuneBench.sd(new double[] {5})).isNaN();
  }

  @Test
  void modelNamesAndPublishedNumbers() {
    assertThat(FinetuneBench.modelSpec("convnova"))
        .isEqualTo(ModelSpec.ConvNova.genomicBenchmarks());
    assertThat(FinetuneBench.modelSpec("cnn")).isEqualTo(new ModelSpec.CnnBaseline());
    assertThatThrownBy(() -> FinetuneBench.modelSpec("bert"))
        .hasMessage("--models: unknown model \"bert\"; known: convnova, cnn");
    // The shared datasets README, GUE Table 4.
    assertThat(FinetuneBench.DNABERT2_MCC).containsEntry("prom_core_all", 69.37)
        .containsEntry("tf_4", 77.43).hasSize(8);
  }
}
