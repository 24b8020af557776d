package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.data.DatasetCatalog;
import io.dnalab.spec.CorpusSpec;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.SpecJson;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's FASTA genome keys its pretraining by content, not by path. */
class CorpusFileKeyTest {
  @TempDir
  Path dir;

  private static TaskFingerprint fingerprint(TaskSpec task) {
    return new TaskFingerprint(task.id(), Map.of("train", "a", "dev", "b", "test", "c"), 64, 64,
        40);
  }

  private static ExperimentSpec spec(CorpusSpec corpus) {
    return new ExperimentSpec("files", List.of(new TaskSpec.Gue("tf_0")),
        List.of(new TokenizerSpec.Nucleotide()),
        List.of(new ModelSpec.ConvNova(16, 5, 2, 4, 2, false)),
        List.of(PretrainSpec.Pretrain.of(new Objective.TokenMlm(0.15), corpus, 10)),
        new FinetuneSpec(1, 1e-3, 32, 0.1), 1);
  }

  private String pretrainKey(CorpusSpec corpus) {
    DataFingerprints fingerprints = new DataFingerprints(DatasetCatalog.builder()
        .cacheDir(dir.resolve("cache")).build(), dir.resolve("store/checksums.json"));
    Planner planner = new Planner(CorpusFileKeyTest::fingerprint, path -> "ff",
        fingerprints::corpusSha256, null, null, (inputs, out, listener) -> { });
    List<Stage> stages = planner.plan(spec(corpus)).stages(Stage.Kind.PRETRAIN);
    assertThat(stages).hasSize(1);
    return stages.get(0).key();
  }

  private static CorpusSpec corpusOf(Path file) {
    return new CorpusSpec("mine", List.of(CorpusSpec.GenomeSource.file(file, 1)), 0, true, 0.05);
  }

  @Test
  void theSameContentElsewhereKeysTheSameAndOtherContentKeysAnew() throws IOException {
    Path here = Files.createDirectories(dir.resolve("here")).resolve("genome.fa");
    Path there = Files.createDirectories(dir.resolve("there")).resolve("genome.fa");
    Files.writeString(here, ">chr1\nACGTACGTTTGA\n");
    Files.writeString(there, ">chr1\nACGTACGTTTGA\n");
    String key = pretrainKey(corpusOf(here));
    assertThat(pretrainKey(corpusOf(there))).isEqualTo(key);
    Files.writeString(there, ">chr1\nACGTACGTTTGC\n");
    Files.setLastModifiedTime(there, java.nio.file.attribute.FileTime.fromMillis(
        Files.getLastModifiedTime(here).toMillis() + 5_000));
    assertThat(pretrainKey(corpusOf(there))).isNotEqualTo(key);
    // a folder holding the file keys by its content too
    Path folder = Files.createDirectories(dir.resolve("folder"));
    Files.copy(here, folder.resolve("genome.fa"));
    Path folderCopy = Files.createDirectories(dir.resolve("elsewhere/folder"));
    Files.copy(here, folderCopy.resolve("genome.fa"));
    assertThat(pretrainKey(corpusOf(folder))).isEqualTo(pretrainKey(corpusOf(folderCopy)))
        .isNotEqualTo(key);
  }

  @Test
  void theKeyHoldsTheContentHashNotThePathAndCatalogGenomesKeyAsBefore() throws IOException {
    Path file = dir.resolve("genome.fa");
    Files.writeString(file, ">chr1\nACGTACGTTTGA\n");
    PretrainSpec.Pretrain run = PretrainSpec.Pretrain.of(new Objective.TokenMlm(0.15),
        corpusOf(file), 10);
    String keyed = SpecJson.canonical(SpecJson.contentAddressed(run, path -> "c0ffee"));
    assertThat(keyed).contains("\"sha256\":\"c0ffee\"").doesNotContain(dir.toString())
        .doesNotContain("\"path\"");
    PretrainSpec.Pretrain human = PretrainSpec.Pretrain.of(new Objective.TokenMlm(0.15),
        CorpusSpec.humanOnly(), 10);
    assertThat(SpecJson.canonical(SpecJson.contentAddressed(human, path -> "unused")))
        .isEqualTo(SpecJson.canonical(human));
  }
}
