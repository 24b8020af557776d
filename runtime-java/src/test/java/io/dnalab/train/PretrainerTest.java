package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
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

  @Test
  void convNovaPretrainsWithNucleotideMlmAndCannotRunCausally() {
    Pretrainer.Inputs bert = PretrainFixtures.inputs(dir);
    Pretrainer.Inputs convNova = new Pretrainer.Inputs(bert.tokenizer(), bert.tokenizerSpec(),
        new ModelSpec.ConvNova(32, 5, 2, 2, 2, false), bert.corpus(), bert.genomeSha256());
    PretrainResult result = PretrainFixtures.pretrainer(null, 0).run(
        PretrainFixtures.spec(Objective.TokenMlm.bert(), 40, 40), convNova,
        TrainingListener.NONE);
    assertThat(result.heldOut().loss()).isLessThan(result.baseline().loss());
    assertThat(result.cost().flops()).isPositive();
    assertThatThrownBy(() -> PretrainFixtures.pretrainer(null, 0).run(
        PretrainFixtures.spec(new Objective.NextToken(), 4, 4), convNova, TrainingListener.NONE))
        .hasMessageContaining("cannot be made causal");
  }

  @Test
  void unetPretrainsWithNucleotideMlm() {
    Pretrainer.Inputs bert = PretrainFixtures.inputs(dir);
    Pretrainer.Inputs unet = new Pretrainer.Inputs(bert.tokenizer(), bert.tokenizerSpec(),
        new ModelSpec.UNet(2, 16), bert.corpus(), bert.genomeSha256());
    PretrainResult result = PretrainFixtures.pretrainer(null, 0).run(
        PretrainFixtures.spec(Objective.TokenMlm.bert(), 40, 40), unet, TrainingListener.NONE);
    assertThat(result.heldOut().loss()).isLessThan(result.baseline().loss());
  }

  @Test
  void nextTokenPredictsEveryFollowingToken() {
    PretrainResult result = PretrainFixtures.pretrainer(null, 0).run(
        PretrainFixtures.spec(new Objective.NextToken(), 4, 4), PretrainFixtures.inputs(dir),
        TrainingListener.NONE);
    // 64 held-out windows of 128 nucleotide tokens, each predicting its 127 successors
    assertThat(result.heldOut().positions()).isEqualTo(64L * 127);
    assertThat(result.baseline().positions()).isEqualTo(64L * 127);
  }
}
