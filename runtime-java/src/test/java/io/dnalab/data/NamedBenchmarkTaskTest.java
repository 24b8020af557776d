package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.FinetuneSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.SpecJson;
import io.dnalab.spec.TaskSpec;
import io.dnalab.spec.TokenizerSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Genomic Benchmarks and Nucleotide Transformer tasks named by their catalog names. */
class NamedBenchmarkTaskTest {
  @TempDir
  Path temp;

  private DatasetCatalog.Builder builder() {
    return DatasetCatalog.builder().cacheDir(temp.resolve("cache"))
        .dataDir(temp.resolve("data"));
  }

  /** The shipped catalog plus a small Genomic Benchmarks task whose published sizes fit a test. */
  private static Catalog withTinyTask() {
    String json = """
        {"formatVersion": 1, "benchmarks": {}, "genomes": [],
         "tasks": [{"benchmark": "genomic_benchmarks", "name": "tiny_gb", "numClasses": 2,
                    "classNames": ["negative", "positive"], "length": {"min": 8, "max": 8},
                    "splits": {"train": {"file": "train/", "rows": 40},
                               "test": {"file": "test/", "rows": 4}},
                    "format": "genomic-benchmarks",
                    "source": "https://example.org/tiny_gb"}]}
        """;
    return Catalog.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private void writeTiny(Path task, int trainPerClass) {
    String[] positives = new String[trainPerClass];
    String[] negatives = new String[trainPerClass];
    for (int i = 0; i < trainPerClass; i++) {
      positives[i] = "ACGTACG" + "ACGT".charAt(i % 4);
      negatives[i] = "TTTTGGG" + "ACGT".charAt(i % 4);
    }
    GenomicBenchmarksReaderTest.writeClass(task, "train", "positive", positives);
    GenomicBenchmarksReaderTest.writeClass(task, "train", "negative", negatives);
    GenomicBenchmarksReaderTest.writeClass(task, "test", "positive", "ACGTACGA", "ACGTACGC");
    GenomicBenchmarksReaderTest.writeClass(task, "test", "negative", "TTTTGGGA", "TTTTGGGC");
  }

  @Test
  void aGenomicBenchmarksTaskIsReadFromItsFolderWithPublishedSizesAndACarvedDev() {
    writeTiny(temp.resolve("data/genomic_benchmarks/tiny_gb"), 20);
    DatasetCatalog catalog = builder().catalog(withTinyTask()).build();
    SequenceTask loaded = catalog.load(new TaskSpec.GenomicBenchmarks("tiny_gb"));
    assertThat(loaded.numClasses()).isEqualTo(2);
    assertThat(loaded.test()).hasSize(4);
    assertThat(loaded.dev()).hasSize(4); // 10% of each class of 20
    assertThat(loaded.train()).hasSize(36);
    assertThat(loaded.protocol()).contains("stratified, seed 42");
    assertThat(catalog.load(new TaskSpec.GenomicBenchmarks("tiny_gb")).dev())
        .isEqualTo(loaded.dev());
  }

  @Test
  void aSplitOfAnotherSizeThanPublishedNamesFileExpectedAndFound() {
    writeTiny(temp.resolve("data/genomic_benchmarks/tiny_gb"), 19);
    DatasetCatalog catalog = builder().catalog(withTinyTask()).build();
    assertThatThrownBy(() -> catalog.load(new TaskSpec.GenomicBenchmarks("tiny_gb")))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(temp.resolve("data/genomic_benchmarks/tiny_gb/train") + ": has 38 records"
            + " but the official train split of genomic_benchmarks/tiny_gb has 40");
  }

  @Test
  void aNucleotideTransformerTaskIsReadFromItsFolderWithACarvedDev() {
    Path task = temp.resolve("data/nucleotide_transformer/enhancers_types");
    TestData.write(task.resolve("train.fna"), LabelInHeaderFastaReaderTest.fasta(10, "train"));
    TestData.write(task.resolve("test.fna"), ">t0|2\nACGTTT\n>t1|0\nACGTTA\n>t2|1\nACGTTC\n");
    SequenceTask loaded = builder().build().load(
        new TaskSpec.NucleotideTransformer("enhancers_types"));
    assertThat(loaded.numClasses()).isEqualTo(3);
    assertThat(loaded.test()).hasSize(3);
    assertThat(loaded.dev()).hasSize(3);
    assertThat(loaded.train()).hasSize(27);
    assertThat(loaded.protocol()).contains("stratified, seed 42");
  }

  @Test
  void aMissingFolderSaysWhereToGetItAndWhereToPutIt() {
    DatasetCatalog catalog = builder().build();
    assertThatThrownBy(() -> catalog.load(new TaskSpec.NucleotideTransformer("promoter_all")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("put it at " + temp.resolve("cache/nucleotide_transformer/"
            + "promoter_all"))
        .hasMessageContaining(temp.resolve("data/nucleotide_transformer/promoter_all")
            .toString())
        .hasMessageContaining("huggingface.co/datasets/InstaDeepAI");
    assertThatThrownBy(() -> catalog.load(new TaskSpec.GenomicBenchmarks("no_such_task")))
        .hasMessageContaining("unknown genomic_benchmarks task 'no_such_task'")
        .hasMessageContaining("human_nontata_promoters");
  }

  @Test
  void bothRoundTripThroughSpecJson() {
    ExperimentSpec spec = new ExperimentSpec("named", List.of(
        new TaskSpec.GenomicBenchmarks("human_nontata_promoters"),
        new TaskSpec.NucleotideTransformer("promoter_all")),
        List.of(new TokenizerSpec.Nucleotide()), List.of(new ModelSpec.CnnBaseline()),
        List.of(new PretrainSpec.None()), new FinetuneSpec(1, 1e-3, 32, 0.1), 1);
    String json = SpecJson.write(spec);
    assertThat(json).contains("\"type\" : \"genomic_benchmarks\"")
        .contains("\"type\" : \"nucleotide_transformer\"");
    assertThat(SpecJson.read(json, "spec.json")).isEqualTo(spec);
    assertThat(spec.tasks().get(0).id()).isEqualTo("genomic_benchmarks/human_nontata_promoters");
  }
}
