package io.dnalab.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NucleotideTokenizerTest {
  final Tokenizer tok = NucleotideTokenizer.create();

  @Test
  void vocabularyIsSpecialsThenBases() {
    assertThat(tok.vocabulary().tokens())
        .containsExactly("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "A", "C", "G", "T", "N");
    assertThat(tok.specialTokens()).isEqualTo(SpecialTokens.STANDARD);
  }

  @Test
  void encodeAddsClsAndSep() {
    Encoding e = tok.encode("ACGTN");
    assertThat(e.ids()).containsExactly(2, 5, 6, 7, 8, 9, 3);
    assertThat(e.attentionMask()).containsExactly(1, 1, 1, 1, 1, 1, 1);
    assertThat(e.specialTokensMask()).containsExactly(1, 0, 0, 0, 0, 0, 1);
    assertThat(e.tokens()).containsExactly("[CLS]", "A", "C", "G", "T", "N", "[SEP]");
    assertThat(tok.withSpecialTokens(false).encode("ACGTN").ids()).containsExactly(5, 6, 7, 8, 9);
  }

  @Test
  void softMaskedLowercaseReadsAsBases() {
    assertThat(tok.encodeIds("acgtn")).containsExactly(tok.encodeIds("ACGTN"));
  }

  @Test
  void iupacCodesReadAsNAndOtherLettersAsUnk() {
    assertThat(tok.encodeIds("RYSWKMBDHVrysw")).containsOnly(9);
    assertThat(tok.encodeIds("AUX")).containsExactly(5, 1, 1);
  }

  @Test
  void nonLetterIsAnErrorNamingPositionAndCharacter() {
    assertThatThrownBy(() -> tok.encode("AC-GT"))
        .isInstanceOf(InvalidSequenceException.class)
        .hasMessageContaining("invalid character '-' at position 2");
    assertThatThrownBy(() -> tok.encodeIds("ACG T"))
        .hasMessageContaining("invalid character ' ' at position 3");
  }

  @Test
  void emptySequenceGivesOnlySpecials() {
    assertThat(tok.encode("").ids()).containsExactly(2, 3);
  }

  @Test
  void truncationCountsSpecialTokens() {
    assertThat(tok.withTruncation(Truncation.right(4)).encode("ACGTN").ids()).containsExactly(2, 5, 6, 3);
    assertThat(tok.withTruncation(new Truncation(4, Truncation.Direction.LEFT)).encode("ACGTN").ids())
        .containsExactly(2, 8, 9, 3);
  }

  @Test
  void fixedPaddingMasksPads() {
    Encoding e = tok.withPadding(Padding.fixed(6)).encode("AC");
    assertThat(e.ids()).containsExactly(2, 5, 6, 3, 0, 0);
    assertThat(e.attentionMask()).containsExactly(1, 1, 1, 1, 0, 0);
    Encoding left = tok.withPadding(new Padding(Padding.Strategy.FIXED, 6, Padding.Direction.LEFT, 0)).encode("AC");
    assertThat(left.ids()).containsExactly(0, 0, 2, 5, 6, 3);
    assertThat(left.attentionMask()).containsExactly(0, 0, 1, 1, 1, 1);
  }

  @Test
  void batchPadsToLongestAndToMultiple() {
    List<Encoding> batch = tok.withPadding(Padding.batchLongest()).encodeBatch(List.of("A", "ACGTA", "AC"));
    assertThat(batch).extracting(Encoding::length).containsExactly(7, 7, 7);
    assertThat(batch.get(0).ids()).containsExactly(2, 5, 3, 0, 0, 0, 0);
    assertThat(batch.get(1).attentionMask()).containsOnly(1);
    Tokenizer multiple = tok.withPadding(new Padding(Padding.Strategy.BATCH_LONGEST, 0, Padding.Direction.RIGHT, 8));
    assertThat(multiple.encodeBatch(List.of("A", "ACGTA"))).extracting(Encoding::length).containsExactly(8, 8);
  }

  @Test
  void withMethodsReturnCopiesAndLeaveTheOriginal() {
    Tokenizer padded = tok.withPadding(Padding.fixed(10));
    assertThat(tok.padding()).isNull();
    assertThat(padded.padding()).isEqualTo(Padding.fixed(10));
    assertThat(tok.encode("A").length()).isEqualTo(3);
  }

  @Test
  void decodeLeavesSpecialsOut() {
    assertThat(tok.decode(tok.encode("acgtn").ids())).isEqualTo("ACGTN");
  }

  @Test
  void batchEncodingIsParallelAndInOrder() {
    List<String> many = new java.util.ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      many.add("ACGT".repeat(i % 7 + 1));
    }
    List<Encoding> out = tok.encodeBatch(many);
    for (int i = 0; i < many.size(); i++) {
      assertThat(out.get(i).ids()).containsExactly(tok.encode(many.get(i)).ids());
    }
  }
}
