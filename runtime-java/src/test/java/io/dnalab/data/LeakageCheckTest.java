package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeakageCheckTest {
  private static final String A = "ACGTTGCAAGGCTTACCGATCGATCGGATCCATGCAAGTCCGATTAGCAAGCTTGACCTAGGCA";

  @Test
  void reverseComplementIsTheSameSequence() {
    assertThat(Dna.reverseComplement("AACGTN")).isEqualTo("NACGTT");
    LeakageCheck.ReferenceIndex index = new LeakageCheck.ReferenceIndex(List.of(A), 31);
    assertThat(index.containsExactly(Dna.reverseComplement(A))).isTrue();
    assertThat(index.sharedKmerFraction(Dna.reverseComplement(A))).isEqualTo(1.0);
  }

  @Test
  void sharedKmerFractionCountsWindowsOfTheReference() {
    // The first 40 bases of A followed by 24 unrelated ones: 10 of 34 31-mers come from A.
    String half = A.substring(0, 40) + "TTTTTTTTTTTTTTTTTTTTTTTT";
    LeakageCheck.ReferenceIndex index = new LeakageCheck.ReferenceIndex(List.of(A), 31);
    assertThat(index.sharedKmerFraction(half)).isEqualTo(10.0 / 34);
    assertThat(index.leaks(half, 0.5)).isFalse();
    assertThat(index.leaks(half, 0.25)).isTrue();
    assertThat(index.sharedKmerFraction("N".repeat(40))).isZero();
  }

  @Test
  void reportCountsEachPair() {
    LeakageReport report = LeakageCheck.check(Map.of(
        "train", List.of(A), "dev", List.of(Dna.reverseComplement(A), "ACGT".repeat(16)),
        "test", List.of("ACGT".repeat(16))), 31, 0.5);
    assertThat(report.pairs()).extracting(LeakageReport.Pair::split,
            LeakageReport.Pair::reference, LeakageReport.Pair::exactDuplicates,
            LeakageReport.Pair::nearDuplicates)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dev", "train", 1, 1),
            org.assertj.core.groups.Tuple.tuple("test", "train", 0, 0),
            org.assertj.core.groups.Tuple.tuple("test", "dev", 1, 1));
    assertThat(report.clean()).isFalse();
  }
}
