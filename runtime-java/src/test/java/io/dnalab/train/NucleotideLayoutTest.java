package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.data.Dna;
import io.dnalab.model.InputVocabulary;
import io.dnalab.model.SequenceClassifier;
import io.dnalab.tokenize.NucleotideTokenizer;
import io.dnalab.tokenize.Tokenizer;
import org.junit.jupiter.api.Test;

/**
 * The single-nucleotide id layout is defined once ({@link Dna}); the tokenizer, the models'
 * vocabulary and the fine-tuning encoder must all give the same ids and complements.
 */
class NucleotideLayoutTest {
  @Test
  void tokenizerModelVocabularyAndEncoderShareDnaLayout() {
    Tokenizer tokenizer = NucleotideTokenizer.oneHotLayout();
    String bases = "ACGTNacgtn";
    int[] expected = bases.chars().map(Dna::id).toArray();
    assertThat(expected).containsExactly(0, 1, 2, 3, 4, 0, 1, 2, 3, 4);
    assertThat(tokenizer.withSpecialTokens(false).encode(bases).ids()).containsExactly(expected);
    assertThat(NucleotideEncoder.INSTANCE.encode(bases)).containsExactly(expected);

    assertThat(tokenizer.vocabSize()).isEqualTo(Dna.NUCLEOTIDE_IDS);
    assertThat(tokenizer.specialTokens().pad()).isEqualTo(Dna.PAD_ID)
        .isEqualTo(NucleotideEncoder.INSTANCE.padId()).isEqualTo(SequenceClassifier.PAD_ID);
    assertThat(tokenizer.specialTokens().mask()).isEqualTo(Dna.MASK_ID);

    InputVocabulary vocabulary = InputVocabulary.of(tokenizer);
    assertThat(vocabulary).isEqualTo(InputVocabulary.NUCLEOTIDE)
        .isEqualTo(NucleotideEncoder.INSTANCE.vocabulary());
    assertThat(vocabulary.complementIds()).containsExactly(Dna.nucleotideComplementIds());
    for (int id = 0; id < Dna.BASE_IDS; id++) {
      String token = tokenizer.vocabulary().token(id);
      String complement = tokenizer.vocabulary().token(vocabulary.complementIds()[id]);
      assertThat(complement).as("complement of " + token).isEqualTo(Dna.complementOrNull(token));
    }
  }
}
