package io.dnalab.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code corpus.leakage}: optional in the JSON, written only when it changes what is pretrained. */
class CorpusLeakageSpecTest {
  private static final CorpusSpec CORPUS = new CorpusSpec("c",
      List.of(new CorpusSpec.GenomeSource("g", 1)), 0.0, true, 0.05);

  private static ExperimentSpec experiment(CorpusSpec corpus) {
    return new ExperimentSpec("screen", List.of(new TaskSpec.Gue("tf_0")),
        List.of(new TokenizerSpec.Nucleotide()), List.of(new ModelSpec.ConvNova(16, 5, 2, 4, 2, false)),
        List.of(PretrainSpec.Pretrain.of(new Objective.TokenMlm(0.15), corpus, 10)),
        new FinetuneSpec(1, 1e-3, 32, 0.1), 1);
  }

  @Test
  void reportIsTheDefaultAndLeavesTheCanonicalJsonAsBeforeTheFieldExisted() {
    assertThat(CORPUS.leakage()).isEqualTo(CorpusSpec.Leakage.REPORT);
    // The text a corpus had before the field existed: stage keys of reporting corpora stay.
    assertThat(SpecJson.canonical(CORPUS)).isEqualTo("{\"genomes\":[{\"id\":\"g\",\"weight\":1.0}],"
        + "\"heldOutFraction\":0.05,\"maxNFraction\":0.0,\"name\":\"c\","
        + "\"reverseComplement\":true}");
  }

  @Test
  void excludeIsWrittenAndReadBack() {
    CorpusSpec excluding = CORPUS.withLeakage(CorpusSpec.Leakage.EXCLUDE);
    assertThat(SpecJson.canonical(excluding)).contains("\"leakage\":\"EXCLUDE\"");
    ExperimentSpec read = SpecJson.read(SpecJson.write(experiment(excluding)), "spec.json");
    assertThat(((PretrainSpec.Pretrain) read.pretraining().get(0)).corpus())
        .isEqualTo(excluding);
  }

  @Test
  void aSpecWithoutTheFieldReadsAsReport() {
    String json = SpecJson.write(experiment(CORPUS));
    assertThat(json).doesNotContain("leakage");
    ExperimentSpec read = SpecJson.read(json, "spec.json");
    assertThat(((PretrainSpec.Pretrain) read.pretraining().get(0)).corpus().leakage())
        .isEqualTo(CorpusSpec.Leakage.REPORT);
  }
}
