package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.tokenize.KmerTokenizer;
import io.dnalab.tokenize.NucleotideTokenizer;
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

  @Test
  void kmerWindowsCarryTheClsAndSepFineTuningPutsAroundASequence() {
    // Non-overlapping 4-mers: a 128-base window is 32 tokens; fine-tuning's encoding of it is
    // [CLS] + 32 + [SEP]. Pretraining windows now carry the same frame.
    KmerTokenizer kmers = KmerTokenizer.create(4, false);
    TokenizerSpec spec = new TokenizerSpec.Kmer(4, false);
    SequenceEncoder fineTuning = SequenceEncoder.of(spec, kmers);
    assertThat(fineTuning.encode("ACGT".repeat(32))).hasSize(34)
        .startsWith(kmers.specialTokens().cls()).endsWith(kmers.specialTokens().sep());
    Pretrainer.Inputs nucleotide = PretrainFixtures.inputs(dir);
    Pretrainer.Inputs inputs = new Pretrainer.Inputs(kmers, spec, PretrainFixtures.TINY_BERT,
        nucleotide.corpus(), nucleotide.genomeSha256());
    PretrainResult next = PretrainFixtures.pretrainer(null, 0).run(
        PretrainFixtures.spec(new Objective.NextToken(), 2, 2), inputs, TrainingListener.NONE);
    // [CLS] predicts the first 4-mer, each 4-mer its successor, nothing predicts [SEP]:
    // 32 positions per window (31 without the frame).
    assertThat(next.heldOut().positions()).isEqualTo(64L * 32);
    assertThat(next.cost().tokensSeen()).isEqualTo(2L * 16 * 34);
    PretrainResult mlm = PretrainFixtures.pretrainer(null, 0).run(
        PretrainFixtures.spec(Objective.TokenMlm.bert(), 2, 2), inputs, TrainingListener.NONE);
    assertThat(mlm.cost().tokensSeen()).isEqualTo(2L * 16 * 34);
  }

  @Test
  void singleNucleotideWindowsStayUnframedAsTheirFineTuningInput() {
    // NucleotideEncoder adds no [CLS]/[SEP], so neither do the windows (even though the
    // one-hot-layout tokenizer defines both): 128 tokens per window, as before.
    SequenceEncoder fineTuning = SequenceEncoder.of(new TokenizerSpec.Nucleotide(),
        NucleotideTokenizer.oneHotLayout());
    assertThat(fineTuning).isSameAs(NucleotideEncoder.INSTANCE);
    assertThat(fineTuning.specialTokensBefore()).isEmpty();
    assertThat(fineTuning.specialTokensAfter()).isEmpty();
    assertThat(Pretrainer.frame(new int[] {1, 2}, new int[] {8}, new int[] {9}))
        .containsExactly(8, 1, 2, 9);
  }
}
