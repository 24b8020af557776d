package io.dnalab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The one alphabet: every complement dnalab computes comes from this table. */
class DnaTest {
  /** sequence, its complement (not reversed), its reverse complement. */
  private static final String[][] COMPLEMENTS = {
      {"A", "T", "T"},
      {"C", "G", "G"},
      {"G", "C", "C"},
      {"T", "A", "A"},
      {"N", "N", "N"},
      {"", "", ""},
      {"AACGTN", "TTGCAN", "NACGTT"},
      {"GATTACA", "CTAATGT", "TGTAATC"},
      {"ACGT", "TGCA", "ACGT"}, // its own reverse complement (a palindrome)
      {"NNNAGCTTNN", "NNNTCGAANN", "NNAAGCTNNN"},
  };

  @Test
  void complementAndReverseComplementTable() {
    for (String[] row : COMPLEMENTS) {
      String sequence = row[0];
      assertThat(Dna.complementOrNull(sequence)).as(sequence).isEqualTo(row[1]);
      assertThat(Dna.reverseComplement(sequence)).as(sequence).isEqualTo(row[2]);
      assertThat(Dna.reverseComplement(row[2])).as("twice " + sequence).isEqualTo(sequence);
      byte[] bytes = sequence.getBytes(StandardCharsets.US_ASCII);
      Dna.reverseComplementInPlace(bytes);
      assertThat(new String(bytes, StandardCharsets.US_ASCII)).as(sequence).isEqualTo(row[2]);
      // canonical: the smaller of the two strands
      String canonical = sequence.compareTo(row[2]) <= 0 ? sequence : row[2];
      assertThat(Dna.canonical(sequence)).isEqualTo(canonical);
    }
  }

  @Test
  void idsAndComplementIdsFollowTheBases() {
    assertThat(Dna.BASES).isEqualTo("ACGTN");
    for (int id = 0; id < Dna.BASE_IDS; id++) {
      char base = Dna.BASES.charAt(id);
      assertThat(Dna.id(base)).isEqualTo(id);
      assertThat(Dna.id(Character.toLowerCase(base))).isEqualTo(id);
      String complement = Dna.complementOrNull(String.valueOf(base));
      assertThat(Dna.complementId(id)).as("complement id of " + base)
          .isEqualTo(Dna.id(complement.charAt(0)));
      assertThat(Dna.code(base)).isEqualTo(base == 'N' ? -1 : id);
    }
    // special ids are their own complement
    assertThat(Dna.nucleotideComplementIds()).containsExactly(3, 2, 1, 0, 4, 5, 6, 7, 8, 9);
    assertThat(new int[] {Dna.PAD_ID, Dna.MASK_ID, Dna.UNK_ID, Dna.CLS_ID, Dna.SEP_ID})
        .containsExactly(5, 6, 7, 8, 9);
    assertThat(Dna.NUCLEOTIDE_IDS).isEqualTo(10);
  }

  @Test
  void nonBasesAreRejectedOrNullNeverComplemented() {
    assertThat(Dna.id('R')).isEqualTo(-1);
    assertThat(Dna.id(-1)).isEqualTo(-1);
    assertThat(Dna.complementOrNull("ACR")).isNull();
    assertThat(Dna.complementOrNull("[PAD]")).isNull();
    assertThatThrownBy(() -> Dna.reverseComplement("ACGU"))
        .hasMessage("not an ACGTN base: 'U'");
    assertThatThrownBy(() -> Dna.reverseComplement("acgt"))
        .hasMessage("not an ACGTN base: 't'");
  }
}
