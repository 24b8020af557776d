package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Genomic Benchmarks layout as {@code genomic_benchmarks.loc2seq.download_dataset} writes
 * it: {@code <task>/{train,test}/<class>/<id>.txt}, one sequence per file without a line end.
 */
class GenomicBenchmarksReaderTest {
  @TempDir Path temp;

  private DatasetCatalog catalog() {
    return DatasetCatalog.builder().cacheDir(temp.resolve("cache")).build();
  }

  /** Writes {@code sequences} as {@code <split>/<class>/0.txt, 1.txt, ...}. */
  static void writeClass(Path task, String split, String className, String... sequences) {
    for (int i = 0; i < sequences.length; i++) {
      TestData.write(task.resolve(split).resolve(className).resolve(i + ".txt"), sequences[i]);
    }
  }

  /** A two-class task: 20 train and 2 test sequences per class, all 8 bp. */
  private Path smallTask(String name) {
    Path task = temp.resolve(name);
    String[] positives = new String[20];
    String[] negatives = new String[20];
    for (int i = 0; i < 20; i++) {
      positives[i] = "ACGTACG" + "ACGT".charAt(i % 4);
      negatives[i] = "TTTTGGG" + "ACGT".charAt(i % 4);
    }
    writeClass(task, "train", "positive", positives);
    writeClass(task, "train", "negative", negatives);
    writeClass(task, "test", "positive", "ACGTACGA", "acgtacgc");
    writeClass(task, "test", "negative", "TTTTGGGA", "TTTTGGGC");
    return task;
  }

  @Test
  void readsSortedClassFoldersAsLabelsAndCarvesASeededStratifiedDev() {
    Path task = smallTask("mytask");

    SequenceTask loaded = catalog().load(new TaskSpec.Local(task));

    assertThat(loaded.numClasses()).isEqualTo(2);
    // "negative" < "positive": label 0 is negative, whatever order the folders were created in
    // ids: <class>/<file name without .txt>; both class folders number their files from 0
    assertThat(loaded.test()).containsExactly(new LabeledSequence("TTTTGGGA", 0, "negative/0"),
        new LabeledSequence("TTTTGGGC", 0, "negative/1"),
        new LabeledSequence("ACGTACGA", 1, "positive/0"),
        new LabeledSequence("ACGTACGC", 1, "positive/1"));
    // 10% of each class of 20: 2 + 2 to dev, 18 + 18 stay in train
    assertThat(loaded.dev()).hasSize(4);
    assertThat(loaded.dev()).filteredOn(r -> r.label() == 0).hasSize(2);
    assertThat(loaded.train()).hasSize(36);
    assertThat(loaded.isOfficialProtocol()).isFalse();
    assertThat(loaded.protocol()).isEqualTo("official train and test files, no published dev"
        + " split: dev is 10% of each class of the train file (stratified, seed 42), 4 records;"
        + " the model trains on the other 36; labels are the sorted class folders: 0=negative,"
        + " 1=positive");
    // same files, same seed: the same dev split
    assertThat(catalog().load(new TaskSpec.Local(task)).dev()).isEqualTo(loaded.dev());
  }

  @Test
  void splitChecksumChangesWhenAFileIsEdited() {
    Path task = smallTask("edited");
    List<String> classes = GenomicBenchmarksReader.classNames(task);
    String before = GenomicBenchmarksReader.readSplit(task.resolve("test"), classes,
        ReadOptions.strict()).summary().sha256();
    TestData.write(task.resolve("test/negative/1.txt"), "TTTTGGGG");
    String after = GenomicBenchmarksReader.readSplit(task.resolve("test"), classes,
        ReadOptions.strict()).summary().sha256();
    assertThat(after).hasSize(64).isNotEqualTo(before);
    // the fingerprint of a run key: the same digest, without validating the sequences
    assertThat(DataFiles.sha256OfContent(task.resolve("test"))).isEqualTo(after);
    // a file added to a class folder changes it, though the split folder's mtime does not change
    TestData.write(task.resolve("test/negative/2.txt"), "TTTTGGGG");
    assertThat(GenomicBenchmarksReader.sha256(task.resolve("test"))).isNotEqualTo(after);
  }

  @Test
  void aFolderNamedLikeACatalogTaskIsCheckedAgainstItsPublishedSplitSizes() {
    // human_nontata_promoters: classes negative/positive, 251 bp, 27097 train records published
    Path task = temp.resolve("human_nontata_promoters");
    String bases = "ACGT".repeat(62) + "ACG";
    writeClass(task, "train", "negative", bases, bases);
    writeClass(task, "train", "positive", bases, bases);
    writeClass(task, "test", "negative", bases);
    writeClass(task, "test", "positive", bases);

    assertThatThrownBy(() -> catalog().load(new TaskSpec.Local(task)))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(task.resolve("train") + ": has 4 records but the official train split of"
            + " genomic_benchmarks/human_nontata_promoters has 27097");
  }

  @Test
  void aFolderNamedLikeACatalogTaskMustHaveItsClasses() {
    Path task = temp.resolve("human_nontata_promoters");
    writeClass(task, "train", "no", "ACGT");
    writeClass(task, "train", "yes", "ACGT");
    writeClass(task, "test", "no", "ACGT");
    writeClass(task, "test", "yes", "ACGT");
    assertThatThrownBy(() -> catalog().load(new TaskSpec.Local(task)))
        .hasMessage(task + ": is named like the Genomic Benchmarks task human_nontata_promoters,"
            + " whose classes are [negative, positive], but its class folders are [no, yes];"
            + " rename the folder if it is another data set");
  }

  @Test
  void anEmptyClassFolderIsAnError() throws Exception {
    Path task = smallTask("empty");
    Files.createDirectories(task.resolve("test/other"));
    Files.createDirectories(task.resolve("train/other"));
    assertThatThrownBy(() -> catalog().load(new TaskSpec.Local(task)))
        .isInstanceOf(DataFormatException.class)
        .hasMessage(task.resolve("train/other") + ": empty class folder: expected one <id>.txt"
            + " file per sequence of class 'other'");
  }

  @Test
  void aClassOfTrainMissingInTestIsAnError() throws Exception {
    Path task = smallTask("missing");
    writeClass(task, "train", "unknown", "ACGTACGT");
    assertThatThrownBy(() -> catalog().load(new TaskSpec.Local(task)))
        .hasMessage(task.resolve("test/unknown") + ": class folder missing: train has class"
            + " 'unknown' but test has only [negative, positive]");
  }

  @Test
  void aClassOnlyInTestIsAnError() {
    Path task = smallTask("extra");
    writeClass(task, "test", "unknown", "ACGTACGT");
    assertThatThrownBy(() -> catalog().load(new TaskSpec.Local(task)))
        .hasMessage(task.resolve("test/unknown") + ": class 'unknown' is not a class of train"
            + " [negative, positive]; a model cannot learn it");
  }

  @Test
  void aFileWithTwoSequencesIsAnErrorNamingTheFile() {
    Path task = smallTask("two");
    Path file = TestData.write(task.resolve("train/positive/7.txt"), "ACGTACGT\nACGTACGA\n");
    assertThatThrownBy(() -> catalog().load(new TaskSpec.Local(task)))
        .hasMessage(file + ":2:1: file holds 2 lines; the Genomic Benchmarks layout has exactly"
            + " one sequence per file, on one line (value \"ACGTACGA\")");
  }

  @Test
  void anEmptyFileIsAnErrorOrCountedWhenSkipping() {
    Path task = smallTask("emptyfile");
    Path file = TestData.write(task.resolve("train/positive/3.txt"), "");
    assertThatThrownBy(() -> catalog().load(new TaskSpec.Local(task)))
        .hasMessage(file + ":1:1: empty file: expected one sequence (value \"\")");
    SequenceTask skipping = catalog().load(new TaskSpec.Local(task),
        LoadOptions.defaults().withSkipBadRecords(true));
    assertThat(skipping.skippedRecords()).isEqualTo(1);
    assertThat(skipping.train().size() + skipping.dev().size()).isEqualTo(39);
  }

  @Test
  void invalidBasesNameTheFileAndValue() {
    Path task = smallTask("bases");
    Path file = TestData.write(task.resolve("test/negative/0.txt"), "TTRTGGGA");
    assertThatThrownBy(() -> catalog().load(new TaskSpec.Local(task)))
        .hasMessage(file + ":1:3: IUPAC ambiguity code 'R' at base 3 is not accepted (only A, C,"
            + " G, T, N); replace it with N or drop the record (value \"TTRTGGGA\")");
  }

  @Test
  void aFileThatIsNotTxtIsNotSilentlyIgnored() {
    Path task = smallTask("stray");
    Path file = TestData.write(task.resolve("train/negative/notes.md"), "x");
    assertThatThrownBy(() -> catalog().load(new TaskSpec.Local(task)))
        .hasMessageStartingWith(file + ": not a .txt file");
  }

  @Test
  void mixedLengthsAreReadUnlessUniformLengthsAreAskedFor() {
    Path task = smallTask("mixed");
    Path file = TestData.write(task.resolve("train/positive/5.txt"), "ACGTACGTAC\n");
    SequenceTask mixed = catalog().load(new TaskSpec.Local(task));
    assertThat(mixed.train().size() + mixed.dev().size()).isEqualTo(40);
    assertThatThrownBy(() -> catalog().load(new TaskSpec.Local(task),
        LoadOptions.defaults().withAllowMixedLengths(false)))
        .hasMessageStartingWith(file + ":1:1: sequence length 10 differs from 8 (the length in "
            + task.resolve("train/negative/0.txt") + ")");
    // A spec's maxLength names the file of a GB folder (one sequence per file) and the length.
    assertThatThrownBy(() -> catalog().load(new TaskSpec.Local(task, 9)))
        .hasMessageStartingWith(file + ":1:1: sequence length 10 is longer than the task's"
            + " maxLength of 9 bases");
  }
}
