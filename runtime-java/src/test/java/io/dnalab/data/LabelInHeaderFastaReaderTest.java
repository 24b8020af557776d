package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Nucleotide Transformer downstream tasks' layout: {@code <task>/train.fna} and {@code
 * <task>/test.fna}, FASTA whose header ends with {@code |LABEL}.
 */
class LabelInHeaderFastaReaderTest {
  @TempDir Path temp;

  private DatasetCatalog catalog() {
    return DatasetCatalog.builder().cacheDir(temp.resolve("cache")).build();
  }

  /** {@code n} records per class of 3, 6 bp, as {@code >seq<i>|<label>}. */
  static String fasta(int perClass, String prefix) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < perClass * 3; i++) {
      text.append('>').append(prefix).append(i).append('|').append(i % 3).append('\n')
          .append("ACG").append("ACGT".charAt(i % 4)).append("TT\n");
    }
    return text.toString();
  }

  @Test
  void readsLabelsFromHeadersAndCarvesDev() {
    Path task = temp.resolve("enhancers_types");
    TestData.write(task.resolve("train.fna"), fasta(10, "train"));
    TestData.writeGzip(task.resolve("test.fna.gz"), ">t0 chr1:5-11|2\nacgttt\n>t1|0\nACGTTA\n");

    SequenceTask loaded = catalog().load(new TaskSpec.Local(task));

    assertThat(loaded.numClasses()).isEqualTo(3);
    // ids: the header's first word without its |LABEL
    assertThat(loaded.test()).containsExactly(new LabeledSequence("ACGTTT", 2, "t0"),
        new LabeledSequence("ACGTTA", 0, "t1"));
    assertThat(loaded.train()).extracting(LabeledSequence::id).allMatch(id -> id.matches(
        "train\\d+"));
    assertThat(loaded.dev()).hasSize(3); // 10% of each class of 10
    assertThat(loaded.dev()).extracting(LabeledSequence::label).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(loaded.train()).hasSize(27);
    assertThat(loaded.protocol()).contains("stratified, seed 42");
  }

  @Test
  void aHeaderWithoutALabelIsAnErrorNamingFileLineAndValue() {
    Path file = TestData.write(temp.resolve("train.fna"), ">a|0\nACGT\n>b\nACGT\n");
    assertThatThrownBy(() -> LabelInHeaderFastaReader.readAll(file, ReadOptions.strict()))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(file + ":3:1: FASTA header has no label: expected >NAME|LABEL with LABEL a"
            + " class index 0, 1, ... (the Nucleotide Transformer tasks' layout) (value \">b\")");
    ReadResult skipping = LabelInHeaderFastaReader.readAll(file,
        ReadOptions.strict().withSkipBadRecords(true));
    assertThat(skipping.records()).containsExactly(new LabeledSequence("ACGT", 0, "a"));
    assertThat(skipping.summary().skipped()).isEqualTo(1);
  }

  @Test
  void aLabelThatIsNotAClassIndexIsAnError() {
    Path file = TestData.write(temp.resolve("train.fna"), ">a|0\nACGT\n>b|pos\nACGT\n");
    assertThatThrownBy(() -> LabelInHeaderFastaReader.readAll(file, ReadOptions.strict()))
        .hasMessage(file + ":3:4: label is not an integer (labels are class indices 0, 1, ...)"
            + " (value \"pos\")");
  }

  @Test
  void invalidBasesNameFileLineColumnAndValue() {
    Path file = TestData.write(temp.resolve("train.fna"), ">a|0\nACGT\n>b|1\nACXT\n");
    assertThatThrownBy(() -> LabelInHeaderFastaReader.readAll(file, ReadOptions.strict()))
        .hasMessage(file + ":4:3: invalid base 'X' at base 3 (only A, C, G, T, N)"
            + " (value \"ACXT\")");
  }

  @Test
  void aTruncatedGzipFileIsAnError() throws Exception {
    // enough random bases that the cut falls inside the deflate stream
    StringBuilder text = new StringBuilder();
    SplittableRandom random = new SplittableRandom(7);
    for (int record = 0; record < 2000; record++) {
      text.append(">r").append(record).append('|').append(record % 2).append('\n');
      for (int i = 0; i < 60; i++) {
        text.append("ACGT".charAt(random.nextInt(4)));
      }
      text.append('\n');
    }
    Path file = TestData.writeGzip(temp.resolve("train.fna.gz"), text.toString());
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> LabelInHeaderFastaReader.readAll(file, ReadOptions.strict()))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(file + ":")
        .hasMessageContaining("the file is truncated");
  }

  @Test
  void aTrainFileWithoutTestIsAnError() {
    Path task = temp.resolve("notest");
    TestData.write(task.resolve("train.fna"), fasta(2, "x"));
    assertThatThrownBy(() -> catalog().load(new TaskSpec.Local(task)))
        .hasMessageStartingWith(task + ": has train.fna but no test split: expected test.fna,");
  }

  @Test
  void recognisesLabelledHeaders() {
    assertThat(LabelInHeaderFastaReader.isLabelledHeader("chr1:1-300|1")).isTrue();
    assertThat(LabelInHeaderFastaReader.isLabelledHeader("seq7 some text|12")).isTrue();
    assertThat(LabelInHeaderFastaReader.isLabelledHeader("chr1 Homo sapiens")).isFalse();
    assertThat(LabelInHeaderFastaReader.isLabelledHeader("a|b")).isFalse();
  }
}
