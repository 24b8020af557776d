package io.dnalab.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KmerTokenizerTest {
  /** Token strings of the model tokens of {@code s}. */
  private static String[] tokens(Tokenizer t, String s) {
    int[] ids = t.encodeIds(s);
    String[] out = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = t.vocabulary().token(ids[i]);
    }
    return out;
  }

  @Test
  void vocabulariesAreSpecialsKmersInLexicographicOrderThenSingles() {
    KmerTokenizer dnabert = KmerTokenizer.create(3, true);
    assertThat(dnabert.vocabSize()).isEqualTo(5 + 64);
    assertThat(dnabert.vocabulary().token(5)).isEqualTo("AAA");
    assertThat(dnabert.vocabulary().token(6)).isEqualTo("AAC");
    assertThat(dnabert.vocabulary().token(68)).isEqualTo("TTT");
    KmerTokenizer nt = KmerTokenizer.create(6, false);
    assertThat(nt.vocabSize()).isEqualTo(5 + 4096 + 5);
    assertThat(nt.vocabulary().tokens().subList(4101, 4106)).containsExactly("A", "C", "G", "T", "N");
  }

  @Test
  void overlappingKmersMoveOneBase() {
    KmerTokenizer t = KmerTokenizer.create(3, true);
    assertThat(tokens(t, "ACGTA")).containsExactly("ACG", "CGT", "GTA");
    assertThat(t.encodeIds("ACG")).containsExactly(5 + 6); // A=0 C=1 G=2: code 0*16 + 1*4 + 2 = 6
  }

  @Test
  void overlappingKmerHoldingNIsUnk() {
    KmerTokenizer t = KmerTokenizer.create(3, true);
    assertThat(tokens(t, "ACGNACGT")).containsExactly("ACG", "[UNK]", "[UNK]", "[UNK]", "ACG", "CGT");
    assertThat(t.encodeIds("AC")).isEmpty();
  }

  @Test
  void overlappingDecodeRebuildsTheSequence() {
    KmerTokenizer t = KmerTokenizer.create(4, true);
    assertThat(t.decode(t.encode("ACGTTGCA").ids())).isEqualTo("ACGTTGCA");
  }

  @Test
  void nonOverlappingSixMersAsTheNucleotideTransformer() {
    KmerTokenizer t = KmerTokenizer.create(6, false);
    // ACGTAC is a 6-mer; GT before the N is too short: one token per base; N alone; ACG at the end: bases.
    assertThat(tokens(t, "ACGTACGTNACG")).containsExactly("ACGTAC", "G", "T", "N", "A", "C", "G");
    assertThat(tokens(t, "acgtacACGTAC")).containsExactly("ACGTAC", "ACGTAC");
    assertThat(tokens(t, "ACGTARACGTAC")).containsExactly("A", "C", "G", "T", "A", "N", "ACGTAC");
    assertThat(tokens(t, "ACXGTAC")).containsExactly("A", "C", "[UNK]", "G", "T", "A", "C");
    assertThat(t.decode(t.encode("ACGTACGTNACG").ids())).isEqualTo("ACGTACGTNACG");
  }

  @Test
  void badInputAndBadK() {
    assertThatThrownBy(() -> KmerTokenizer.create(6, false).encodeIds("ACGT*"))
        .hasMessageContaining("invalid character '*' at position 4");
    assertThatThrownBy(() -> KmerTokenizer.create(6, true).encodeIds("ACGTAC1"))
        .hasMessageContaining("invalid character '1' at position 6");
    assertThatThrownBy(() -> KmerTokenizer.create(0, true)).hasMessageContaining("k must be in 1..8, got 0");
  }
}
