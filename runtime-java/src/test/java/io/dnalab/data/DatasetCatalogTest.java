package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCatalogTest {
  @TempDir Path temp;

  private DatasetCatalog catalog(Path dataDir) {
    return DatasetCatalog.builder().cacheDir(temp.resolve("cache")).dataDir(dataDir).build();
  }

  @Test
  void loadsGueTaskFromDataFolderWithOfficialSizesAndVerifiedChecksums() {
    SequenceTask task = catalog(TestData.root()).load(new TaskSpec.Gue("tf_4"),
        LoadOptions.defaults().withOffline(true));

    assertThat(task.name()).isEqualTo("tf_4");
    assertThat(task.numClasses()).isEqualTo(2);
    assertThat(task.train()).hasSize(19_000);
    assertThat(task.dev()).hasSize(1_000);
    assertThat(task.test()).hasSize(1_000);
    assertThat(task.isOfficialProtocol()).isTrue();
    assertThat(task.skippedRecords()).isZero();
    assertThat(task.train().get(0).sequence()).hasSize(101);
  }

  @Test
  void missingOfficialTrainSplitIsAnErrorThatNamesTheFileTheFoldersAndTheOption() {
    DatasetCatalog catalog = catalog(TestData.root());

    assertThatThrownBy(() -> catalog.load(new TaskSpec.Gue("prom_300_all"),
        LoadOptions.defaults().withOffline(true)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("gue/prom_300_all: split 'train' not found: no train.csv or"
            + " train.csv.gz in " + temp.resolve("cache").resolve("gue/prom_300_all"))
        .hasMessageContaining("or " + TestData.root().resolve("gue/prom_300_all"))
        .hasMessageContaining("offline, so nothing was downloaded")
        .hasMessageContaining("withTrainOnDevWhenTrainMissing(true)")
        .hasMessageContaining("not the official protocol");
  }

  @Test
  void trainingOnDevIsExplicitAndRecordedInTheProtocol() {
    SequenceTask task = catalog(TestData.root()).load(new TaskSpec.Gue("prom_300_all"),
        LoadOptions.defaults().withOffline(true).withTrainOnDevWhenTrainMissing(true));

    assertThat(task.train()).hasSize(5_328);
    assertThat(task.dev()).hasSize(592);
    assertThat(task.test()).hasSize(5_920);
    assertThat(task.isOfficialProtocol()).isFalse();
    assertThat(task.protocol()).startsWith("NOT the official protocol")
        .contains("90% of the official dev split (5328 records)");
  }

  @Test
  void emptyCacheOfflineWithoutDataFolderSaysWhereToPutTheFile() {
    DatasetCatalog catalog = catalog(null);

    assertThatThrownBy(() -> catalog.load(new TaskSpec.Gue("tf_0"),
        LoadOptions.defaults().withOffline(true)))
        .hasMessageStartingWith("gue/tf_0: split 'train' not found: no train.csv or train.csv.gz"
            + " in " + temp.resolve("cache").resolve("gue/tf_0") + " (DNALAB_DATA is not set)."
            + " Put the file in one of those folders or set DNALAB_DATA to a folder with the"
            + " layout gue/tf_0/train.csv[.gz]");
  }

  @Test
  void unknownTaskListsTheKnownOnes() {
    assertThatThrownBy(() -> catalog(null).load(new TaskSpec.Gue("tf_9")))
        .hasMessageStartingWith("gue/tf_9: unknown gue task 'tf_9'; the catalog has: [")
        .hasMessageContaining("prom_core_all");
  }

  @Test
  void checksumMismatchInTheCacheIsAnError() throws Exception {
    Path cached = temp.resolve("cache/gue/prom_core_tata");
    Files.createDirectories(cached);
    for (String split : new String[] {"train", "dev", "test"}) {
      Files.copy(TestData.root().resolve("gue/prom_core_tata/" + split + ".csv.gz"),
          cached.resolve(split + ".csv.gz"));
    }
    // Same size and shape, one label flipped: only the checksum can tell.
    String dev = new String(new java.util.zip.GZIPInputStream(
        Files.newInputStream(cached.resolve("dev.csv.gz"))).readAllBytes());
    int comma = dev.indexOf(',', dev.indexOf('\n') + 1);
    char flipped = dev.charAt(comma + 1) == '0' ? '1' : '0';
    String tampered = dev.substring(0, comma + 1) + flipped + dev.substring(comma + 2);
    Files.delete(cached.resolve("dev.csv.gz"));
    TestData.write(cached.resolve("dev.csv"), tampered);

    String official = catalog(null).catalog().task("gue", "prom_core_tata").orElseThrow()
        .split("dev").orElseThrow().sha256();
    assertThatThrownBy(() -> catalog(null).load(new TaskSpec.Gue("prom_core_tata"),
        LoadOptions.defaults().withOffline(true)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(cached.resolve("dev.csv") + ": sha256 of the uncompressed"
            + " content is ")
        .hasMessageEndingWith(" but the catalog expects " + official + "; the file is not the"
            + " published one (replace it, or remove it to let dnalab fetch it again)");
  }

  @Test
  void localFolderInfersClassesAndAcceptsMixedLengthsUnlessUniformIsAsked() {
    Path folder = temp.resolve("mytask");
    TestData.write(folder.resolve("train.csv"), "sequence,label\nACGT,0\nTTTT,2\nGGGG,1\n");
    TestData.writeGzip(folder.resolve("dev.csv.gz"), "sequence,label\nACGA,1\n");
    TestData.write(folder.resolve("test.tsv"), "label\tsequence\n0\tCCCC\n");

    SequenceTask task = catalog(null).load(new TaskSpec.Local(folder));

    assertThat(task.numClasses()).isEqualTo(3);
    assertThat(task.train()).extracting(LabeledSequence::label).containsExactly(0, 2, 1);
    assertThat(task.test()).containsExactly(new LabeledSequence("CCCC", 0));

    TestData.write(folder.resolve("test.tsv"), "label\tsequence\n0\tCCCCC\n");
    assertThat(catalog(null).load(new TaskSpec.Local(folder)).test())
        .containsExactly(new LabeledSequence("CCCCC", 0));
    assertThatThrownBy(() -> catalog(null).load(new TaskSpec.Local(folder),
        LoadOptions.defaults().withAllowMixedLengths(false)))
        .hasMessage(folder.resolve("test.tsv") + ": sequences are 5 bp but "
            + folder.resolve("train.csv") + " has 4 bp; mixed lengths need"
            + " LoadOptions.withAllowMixedLengths(true)");
  }

  @Test
  void aLocalTasksMaxLengthRefusesALongerSequenceNamingFileLineAndLength() {
    Path folder = temp.resolve("capped");
    TestData.write(folder.resolve("train.csv"), "sequence,label\nACGT,0\nTTTTTT,1\nGGG,1\n");
    TestData.write(folder.resolve("dev.csv"), "sequence,label\nACGAA,1\nAC,0\n");
    TestData.write(folder.resolve("test.csv"), "sequence,label\nCCCCCCC,0\nAAAA,1\n");
    // Within the limit: loaded as is, lengths 2..6 in train/dev.
    assertThatThrownBy(() -> catalog(null).load(new TaskSpec.Local(folder, 6)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(folder.resolve("test.csv") + ":2")
        .hasMessageContaining("sequence length 7 is longer than the task's maxLength of 6 bases"
            + " (longer sequences are refused, not truncated");
    SequenceTask task = catalog(null).load(new TaskSpec.Local(folder, 7));
    assertThat(task.test()).extracting(LabeledSequence::sequence)
        .containsExactly("CCCCCCC", "AAAA");
    // The spec's limit and a caller's: the smaller one holds.
    assertThatThrownBy(() -> catalog(null).load(new TaskSpec.Local(folder, 7),
        LoadOptions.defaults().withMaxLength(5)))
        .hasMessageContaining(folder.resolve("train.csv") + ":3")
        .hasMessageContaining("sequence length 6 is longer than the task's maxLength of 5");
  }

  @Test
  void skippedRecordsAreCountedOnlyWhenAsked() {
    Path folder = temp.resolve("dirty");
    TestData.write(folder.resolve("train.csv"), "sequence,label\nACGT,0\nACRT,1\nTTTT,1\n");
    TestData.write(folder.resolve("dev.csv"), "sequence,label\nACGA,1\nACGA,x\n");
    TestData.write(folder.resolve("test.csv"), "sequence,label\nCCCC,0\n");

    assertThatThrownBy(() -> catalog(null).load(new TaskSpec.Local(folder)))
        .hasMessageStartingWith(folder.resolve("train.csv") + ":3:3: IUPAC ambiguity code 'R'");
    SequenceTask task = catalog(null).load(new TaskSpec.Local(folder),
        LoadOptions.defaults().withSkipBadRecords(true));
    assertThat(task.skippedRecords()).isEqualTo(2);
    assertThat(task.train()).hasSize(2);
    assertThat(task.dev()).hasSize(1);
  }
}
