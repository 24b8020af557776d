package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.experiment.Objective;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainerTest {
  @TempDir
  Path dir;

  @Test
  void tokenMlmClearlyBeatsTheUnigramBaseline() {
    PretrainResult result = PretrainFixtures.pretrainer(null, 0).run(
        PretrainFixtures.spec(Objective.TokenMlm.bert(), 150, 50),
        PretrainFixtures.inputs(dir), TrainingListener.NONE);
    System.out.printf("token MLM held-out loss %.3f acc %.3f | unigram %.3f / %.3f | %s%n",
        result.heldOut().loss(), result.heldOut().accuracy(), result.baseline().loss(),
        result.baseline().accuracy(), result.cost());
    assertThat(result.heldOut().loss()).isLessThan(result.baseline().loss() - 0.3);
    assertThat(result.heldOut().accuracy()).isGreaterThan(result.baseline().accuracy() + 0.15);
    assertThat(result.curve()).hasSize(6); // train + heldout at steps 50, 100, 150
    assertThat(result.cost().tokensSeen()).isEqualTo(150L * 16 * 128);
    assertThat(result.cost().flops()).isPositive();
  }
}
