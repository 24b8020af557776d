package io.dnalab.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code corpus.genomes[].path}: a user's FASTA file or folder in spec JSON. */
class CorpusFileSpecTest {
  private static ExperimentSpec experiment(CorpusSpec corpus) {
    return new ExperimentSpec("files", List.of(new TaskSpec.Gue("tf_0")),
        List.of(new TokenizerSpec.Nucleotide()),
        List.of(new ModelSpec.ConvNova(16, 5, 2, 4, 2, false)),
        List.of(PretrainSpec.Pretrain.of(new Objective.TokenMlm(0.15), corpus, 10)),
        new FinetuneSpec(1, 1e-3, 32, 0.1), 1);
  }

  private static CorpusSpec corpusOf(ExperimentSpec spec) {
    return ((PretrainSpec.Pretrain) spec.pretraining().get(0)).corpus();
  }

  @Test
  void aFileGenomeRoundTripsBesideACatalogGenome() {
    CorpusSpec corpus = new CorpusSpec("mixed", List.of(
        CorpusSpec.GenomeSource.file(Path.of("/data/hg38.fa.gz"), 2),
        new CorpusSpec.GenomeSource("drosophila_dm_chr2R", 1)), 0, true, 0.05);
    String json = SpecJson.write(experiment(corpus));
    assertThat(json).contains("hg38.fa.gz");
    assertThat(corpusOf(SpecJson.read(json, "spec.json"))).isEqualTo(corpus);
  }

  @Test
  void aHandWrittenPathReads() {
    String json = SpecJson.write(experiment(CorpusSpec.humanOnly()))
        .replace("\"id\" : \"human_GRCh37_chr20\"",
            "\"id\" : \"mine\", \"path\" : \"/data/my genome.fa\"");
    CorpusSpec.GenomeSource read = corpusOf(SpecJson.read(json, "spec.json")).genomes().get(0);
    assertThat(read.id()).isEqualTo("mine");
    assertThat(read.path()).isEqualTo(Path.of("/data/my genome.fa"));
  }
}
