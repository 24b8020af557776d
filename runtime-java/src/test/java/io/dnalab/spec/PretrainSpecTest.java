package io.dnalab.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PretrainSpecTest {

  private static ExperimentSpec withPretraining(List<PretrainSpec> pretraining) {
    return new ExperimentSpec("p", List.of(new TaskSpec.Gue("tf_0")),
        List.of(new TokenizerSpec.Kmer(6, true)), List.of(new ModelSpec.Bert(2, 128, 4, 512)),
        pretraining, FinetuneSpec.defaults(), 1);
  }

  @Test
  void everyObjectiveRoundTripsThroughJson() {
    ExperimentSpec spec = withPretraining(List.of(new PretrainSpec.None(),
        PretrainSpec.Pretrain.of(Objective.TokenMlm.bert(), CorpusSpec.humanOnly(), 2000),
        PretrainSpec.Pretrain.of(Objective.SpanMlm.spanBert(), CorpusSpec.multiSpecies(), 100),
        PretrainSpec.Pretrain.of(Objective.RandomMask.defaults(), CorpusSpec.humanOnly(), 100),
        PretrainSpec.Pretrain.of(new Objective.NextToken(), CorpusSpec.humanOnly(), 100)));
    String json = SpecJson.write(spec);
    assertThat(json).contains("\"type\" : \"pretrain\"").contains("\"type\" : \"randommask\"")
        .contains("\"type\" : \"nexttoken\"").contains("\"human_GRCh37_chr20\"");
    assertThat(SpecJson.read(json, "test")).isEqualTo(spec);
    assertThat(spec.pretraining().stream().map(PretrainSpec::id)).containsExactly("none",
        "mlm-human-2000", "spanmlm-multispecies-100", "randommask-human-100",
        "nexttoken-human-100");
  }

  @Test
  void badObjectiveValueNamesFileLineAndField() {
    String json = """
        {"name": "x", "seeds": 1,
         "tasks": [{"type": "gue", "name": "tf_0"}],
         "tokenizers": [{"type": "nucleotide"}],
         "models": [{"type": "cnn"}],
         "pretraining": [{"type": "pretrain", "objective": {"type": "mlm", "rate": 1.5},
           "corpus": {"name": "h", "genomes": [{"id": "human_GRCh37_chr20", "weight": 1}],
                      "maxNFraction": 0, "reverseComplement": true, "heldOutFraction": 0.05},
           "steps": 10, "batchSize": 4, "windowLength": 64, "learningRate": 0.001,
           "warmupSteps": 1, "weightDecay": 0.01, "evalEvery": 5, "evalWindows": 8, "seed": 0}],
         "finetune": {"epochs": 3, "learningRate": 0.001, "batchSize": 64, "weightDecay": 0.1}}
        """;
    assertThatThrownBy(() -> SpecJson.read(json, "spec.json"))
        .hasMessageStartingWith("spec.json:5:")
        .hasMessageContaining("objective.rate: must be in (0, 1), got 1.5");
  }

  @Test
  void validationNamesTheField() {
    assertThatThrownBy(() -> new PretrainSpec.Pretrain(Objective.TokenMlm.bert(),
        CorpusSpec.humanOnly(), 100, 8, 64, 1e-3, 200, 0.01, 10, 8, 0))
        .hasMessage("pretrain.warmupSteps: must be between 0 and 100, got 200");
    assertThatThrownBy(() -> new Objective.RandomMask(0.15, 4, 2, 3))
        .hasMessage("objective.maxSpan: must be between 4 and 4096, got 2");
    assertThatThrownBy(() -> new CorpusSpec("c", List.of(), 0, true, 0.1))
        .hasMessage("corpus.genomes: needs at least one value, got none");
  }

  @Test
  void randomMaskLargestSpanClimbsAStaircase() {
    Objective.RandomMask curriculum = new Objective.RandomMask(0.15, 1, 7, 4);
    // 4 stages of 25 steps over 100: 1, 3, 5, 7
    assertThat(curriculum.largestSpanAt(0, 100)).isEqualTo(1);
    assertThat(curriculum.largestSpanAt(24, 100)).isEqualTo(1);
    assertThat(curriculum.largestSpanAt(25, 100)).isEqualTo(3);
    assertThat(curriculum.largestSpanAt(50, 100)).isEqualTo(5);
    assertThat(curriculum.largestSpanAt(99, 100)).isEqualTo(7);
  }

  /** What dnalab wrote for this spec before pretraining seeds existed (the main checkout's code). */
  private static final String ONE_SEED_CANONICAL = "{\"type\":\"pretrain\",\"batchSize\":32,"
      + "\"corpus\":{\"genomes\":[{\"id\":\"human_GRCh37_chr20\",\"weight\":1.0}],"
      + "\"heldOutFraction\":0.05,\"maxNFraction\":0.0,\"name\":\"human\","
      + "\"reverseComplement\":true},\"evalEvery\":100,\"evalWindows\":256,"
      + "\"learningRate\":5.0E-4,\"objective\":{\"type\":\"mlm\",\"rate\":0.15},\"seed\":0,"
      + "\"steps\":2000,\"warmupSteps\":120,\"weightDecay\":0.01,\"windowLength\":512}";

  @Test
  void oneSeedWritesWhatItWroteBeforePretrainingSeedsSoItsKeysStay() {
    PretrainSpec.Pretrain mlm = PretrainSpec.Pretrain.of(Objective.TokenMlm.bert(),
        CorpusSpec.humanOnly(), 2000);
    assertThat(mlm.seeds()).isEqualTo(1);
    assertThat(SpecJson.canonical(mlm)).isEqualTo(ONE_SEED_CANONICAL);
    assertThat(SpecJson.sha256(mlm))
        .isEqualTo("382274f24dd3bba0e30f7947b0889ab41e1bf77d8643f8479c0b56269135fce6");
    PretrainSpec.Pretrain three = mlm.withSeeds(3);
    assertThat(SpecJson.canonical(three)).contains("\"seeds\":3");
    assertThat(three.pretrainingSeeds()).containsExactly(0L, 1L, 2L);
    assertThat(three.run(0)).isEqualTo(mlm);
    assertThat(SpecJson.canonical(three.run(2))).isEqualTo(
        ONE_SEED_CANONICAL.replace("\"seed\":0", "\"seed\":2"));
    assertThat(three.id()).as("one arm over its seeds").isEqualTo(mlm.id());
    assertThatThrownBy(() -> three.run(3)).hasMessage(
        "pretraining seed 3 is not one of [0, 1, 2]");
  }

  @Test
  void seedsRoundTripsAndOldSpecsWithoutItStillRead() {
    ExperimentSpec spec = withPretraining(List.of(new PretrainSpec.None(),
        PretrainSpec.Pretrain.of(Objective.TokenMlm.bert(), CorpusSpec.humanOnly(), 2000)
            .withSeeds(3)));
    String json = SpecJson.write(spec);
    assertThat(json).contains("\"seeds\" : 3");
    assertThat(SpecJson.read(json, "test")).isEqualTo(spec);

    String old = """
        {"name": "x", "seeds": 1,
         "tasks": [{"type": "gue", "name": "tf_0"}],
         "tokenizers": [{"type": "nucleotide"}],
         "models": [{"type": "convnova", "width": 64, "kernelSize": 5, "blocks": 5,
                     "dilationBase": 4, "headFactor": 4, "feedForward": false}],
         "pretraining": [{"type": "pretrain", "objective": {"type": "mlm", "rate": 0.15},
           "corpus": {"name": "h", "genomes": [{"id": "human_GRCh37_chr20", "weight": 1}],
                      "maxNFraction": 0, "reverseComplement": true, "heldOutFraction": 0.05},
           "steps": 10, "batchSize": 4, "windowLength": 64, "learningRate": 0.001,
           "warmupSteps": 1, "weightDecay": 0.01, "evalEvery": 5, "evalWindows": 8, "seed": 0}],
         "finetune": {"epochs": 3, "learningRate": 0.001, "batchSize": 64, "weightDecay": 0.1}}
        """;
    PretrainSpec.Pretrain read = (PretrainSpec.Pretrain) SpecJson.read(old, "old.json")
        .pretraining().get(0);
    assertThat(read.seeds()).isEqualTo(1);
    assertThatThrownBy(() -> SpecJson.read(old.replace("\"seed\": 0", "\"seed\": 0, \"seeds\": 0"),
        "spec.json")).hasMessageStartingWith("spec.json:")
        .hasMessageContaining("pretrain.seeds: must be between 1 and 100, got 0");
  }
}
