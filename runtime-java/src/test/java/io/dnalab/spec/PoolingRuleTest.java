package io.dnalab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoolingRuleTest {
  private static final TaskSpec TASK = new TaskSpec.Gue("tf_0");
  private static final CorpusSpec CORPUS = new CorpusSpec("human",
      List.of(new CorpusSpec.GenomeSource("human", 1)), 0.0, true, 0.1);
  private static final PretrainSpec MLM = pretrain(Objective.TokenMlm.bert());
  private static final PretrainSpec NEXT_TOKEN = pretrain(new Objective.NextToken());
  private static final ModelSpec.Bert DEFAULT_BERT = new ModelSpec.Bert(2, 32, 4, 64);

  private static PretrainSpec pretrain(Objective objective) {
    return new PretrainSpec.Pretrain(objective, CORPUS, 10, 8, 128, 1e-3, 1, 0.01, 10, 8, 7);
  }

  private static ModelSpec.Pooling resolved(TokenizerSpec tokenizer, ModelSpec model,
      PretrainSpec pretrain) {
    ExperimentSpec.Cell cell = PoolingRule.resolved(
        new ExperimentSpec.Cell(TASK, tokenizer, model, pretrain));
    return ((ModelSpec.Bert) cell.model()).pooling();
  }

  @Test
  void theDefaultIsAuto() {
    assertThat(DEFAULT_BERT.pooling()).isEqualTo(ModelSpec.Pooling.AUTO);
    assertThat(ModelSpec.Bert.dnabert2().pooling()).isEqualTo(ModelSpec.Pooling.AUTO);
  }

  @Test
  void autoIsMeanForNucleotideCellsWhichHaveNoCls() {
    assertThat(resolved(new TokenizerSpec.Nucleotide(), DEFAULT_BERT, new PretrainSpec.None()))
        .isEqualTo(ModelSpec.Pooling.MEAN);
    assertThat(resolved(new TokenizerSpec.Nucleotide(), DEFAULT_BERT, MLM))
        .isEqualTo(ModelSpec.Pooling.MEAN);
  }

  @Test
  void autoIsClsWhereTheTokenizerAddsClsAndPretrainingCarriedIt() {
    for (TokenizerSpec tokenizer : List.of(new TokenizerSpec.Kmer(6, false),
        new TokenizerSpec.Bpe(4096, List.of()))) {
      assertThat(resolved(tokenizer, DEFAULT_BERT, new PretrainSpec.None())).as(tokenizer.id())
          .isEqualTo(ModelSpec.Pooling.CLS);
      assertThat(resolved(tokenizer, DEFAULT_BERT, MLM)).as(tokenizer.id())
          .isEqualTo(ModelSpec.Pooling.CLS);
    }
  }

  @Test
  void autoIsMeanAfterCausalPretrainingWhoseClsAttendedOnlyToItself() {
    assertThat(resolved(new TokenizerSpec.Kmer(6, false), DEFAULT_BERT, NEXT_TOKEN))
        .isEqualTo(ModelSpec.Pooling.MEAN);
    // An explicit CLS stays: the token was a pretraining input.
    assertThat(resolved(new TokenizerSpec.Kmer(6, false),
        DEFAULT_BERT.withPooling(ModelSpec.Pooling.CLS), NEXT_TOKEN))
        .isEqualTo(ModelSpec.Pooling.CLS);
  }

  @Test
  void anExplicitChoiceThatIsConsistentIsKept() {
    assertThat(resolved(new TokenizerSpec.Kmer(6, false),
        DEFAULT_BERT.withPooling(ModelSpec.Pooling.MEAN), MLM)).isEqualTo(ModelSpec.Pooling.MEAN);
    assertThat(resolved(new TokenizerSpec.Nucleotide(),
        DEFAULT_BERT.withPooling(ModelSpec.Pooling.MEAN), MLM)).isEqualTo(ModelSpec.Pooling.MEAN);
    // Families without a pooling choice pass through unchanged.
    ExperimentSpec.Cell convNova = new ExperimentSpec.Cell(TASK, new TokenizerSpec.Nucleotide(),
        ModelSpec.ConvNova.genomicBenchmarks(), MLM);
    assertThat(PoolingRule.resolved(convNova)).isSameAs(convNova);
  }

  @Test
  void clsOnANucleotideCellIsRefusedNamingTheCell() {
    ExperimentSpec.Cell cell = new ExperimentSpec.Cell(TASK, new TokenizerSpec.Nucleotide(),
        DEFAULT_BERT.withPooling(ModelSpec.Pooling.CLS), MLM);
    assertThatThrownBy(() -> PoolingRule.resolved(cell)).isInstanceOf(SpecException.class)
        .hasMessageContaining("cell " + cell.label() + " asks for CLS pooling, but nucleotide"
            + " inputs carry no [CLS]")
        .hasMessageContaining("use pooling MEAN or AUTO");
    assertThat(cell.label()).isEqualTo("gue/tf_0 · nucleotide · bert-2x32 · "
        + MLM.id());
  }

  @Test
  void specJsonWithAnExplicitPoolingStillReadsAndAutoRoundTrips() {
    String json = """
        {"name": "old", "seeds": 1,
         "tasks": [{"type": "gue", "name": "tf_0"}],
         "tokenizers": [{"type": "kmer", "k": 6, "overlapping": false}],
         "models": [{"type": "bert", "layers": 2, "hidden": 32, "heads": 4, "intermediate": 64,
                     "dropout": 0.1, "preNorm": false, "pooling": "CLS", "tiedHead": true}],
         "pretraining": [{"type": "none"}],
         "finetune": {"epochs": 1, "learningRate": 0.001, "batchSize": 8, "weightDecay": 0.1}}
        """;
    ExperimentSpec old = SpecJson.read(json, "old.json");
    assertThat(((ModelSpec.Bert) old.models().get(0)).pooling())
        .isEqualTo(ModelSpec.Pooling.CLS);
    ExperimentSpec auto = new ExperimentSpec("auto", List.of(TASK),
        List.of(new TokenizerSpec.Nucleotide()), List.of(DEFAULT_BERT),
        List.of(new PretrainSpec.None()), new FinetuneSpec(1, 1e-3, 8, 0.1), 1);
    String written = SpecJson.write(auto);
    assertThat(written).contains("\"pooling\" : \"AUTO\"");
    assertThat(SpecJson.read(written, "auto.json")).isEqualTo(auto);
  }
}
