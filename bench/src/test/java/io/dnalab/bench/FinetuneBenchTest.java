package io.dnalab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.ModelSpec;
import org.junit.jupiter.api.Test;

class FinetuneBenchTest {

  @Test
  void modelNamesAndPublishedNumbers() {
    assertThat(FinetuneBench.modelSpec("convnova"))
        .isEqualTo(ModelSpec.ConvNova.genomicBenchmarks());
    assertThat(FinetuneBench.modelSpec("cnn")).isEqualTo(new ModelSpec.CnnBaseline());
    assertThatThrownBy(() -> FinetuneBench.modelSpec("bert"))
        .hasMessage("--models: unknown model \"bert\"; known: convnova, cnn");
    // The shared datasets README, GUE Table 4.
    assertThat(FinetuneBench.dnabert2Mcc("prom_core_all")).isEqualTo(69.37);
    assertThat(FinetuneBench.dnabert2Mcc("tf_4")).isEqualTo(77.43);
    assertThat(FinetuneBench.dnabert2Mcc("mouse_0")).isNaN();
  }
}
