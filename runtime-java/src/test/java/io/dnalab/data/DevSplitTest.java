package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.TaskSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevSplitTest {

  /** 100 records of class 0 and 30 of class 1, each sequence unique so records can be traced. */
  private static List<LabeledSequence> records() {
    List<LabeledSequence> records = new ArrayList<>();
    for (int i = 0; i < 130; i++) {
      String bases = Integer.toString(i, 4).replace('0', 'A').replace('1', 'C').replace('2', 'G')
          .replace('3', 'T');
      records.add(new LabeledSequence(bases, i < 100 ? 0 : 1));
    }
    return records;
  }

  @Test
  void takesTheFractionOfEveryClassAndKeepsFileOrder() {
    List<LabeledSequence> all = records();
    DevSplit.Carved carved = DevSplit.carve(all, 0.1, 42);

    assertThat(carved.dev()).filteredOn(r -> r.label() == 0).hasSize(10);
    assertThat(carved.dev()).filteredOn(r -> r.label() == 1).hasSize(3);
    assertThat(carved.train()).hasSize(117);
    // a partition of the input, each part a subsequence of it
    List<LabeledSequence> union = new ArrayList<>(carved.train());
    union.addAll(carved.dev());
    assertThat(union).containsExactlyInAnyOrderElementsOf(all);
    assertThat(all).containsSubsequence(carved.dev());
    assertThat(all).containsSubsequence(carved.train());
    assertThat(carved.protocol()).isEqualTo("official train and test files, no published dev"
        + " split: dev is 10% of each class of the train file (stratified, seed 42), 13 records;"
        + " the model trains on the other 117");
  }

  @Test
  void theSeedDecidesTheChoice() {
    List<LabeledSequence> all = records();
    assertThat(DevSplit.carve(all, 0.1, 42).dev()).isEqualTo(DevSplit.carve(all, 0.1, 42).dev());
    assertThat(DevSplit.carve(all, 0.1, 7).dev()).isNotEqualTo(DevSplit.carve(all, 0.1, 42).dev());
  }

  @Test
  void aClassOfOneRecordStaysInTrainAndTooFewRecordsAreAnError() {
    List<LabeledSequence> few = List.of(new LabeledSequence("A", 0), new LabeledSequence("C", 0),
        new LabeledSequence("G", 1));
    DevSplit.Carved carved = DevSplit.carve(few, 0.5, 1);
    assertThat(carved.dev()).hasSize(1).allMatch(r -> r.label() == 0);
    assertThat(carved.train()).contains(new LabeledSequence("G", 1));
    assertThatThrownBy(() -> DevSplit.carve(few.subList(2, 3), 0.1, 1))
        .hasMessage("the train split has 1 records, too few to carve a dev split from (every"
            + " class needs at least 2)");
  }

  @Test
  void aLocalCsvFolderWithoutDevGetsACarvedOne(@TempDir Path temp) {
    StringBuilder train = new StringBuilder("sequence,label\n");
    for (LabeledSequence r : records()) {
      train.append(r.sequence()).append(',').append(r.label()).append('\n');
    }
    TestData.write(temp.resolve("t/train.csv"), train.toString());
    TestData.write(temp.resolve("t/test.csv"), "sequence,label\nACGT,0\nTTTT,1\n");
    SequenceTask task = DatasetCatalog.builder().cacheDir(temp.resolve("cache")).build()
        .load(new TaskSpec.Local(temp.resolve("t")),
            LoadOptions.defaults().withAllowMixedLengths(true));
    assertThat(task.dev()).isEqualTo(DevSplit.carve(records()).dev());
    assertThat(task.train()).hasSize(117);
    assertThat(task.protocol()).startsWith("official train and test files, no published dev");
  }
}
