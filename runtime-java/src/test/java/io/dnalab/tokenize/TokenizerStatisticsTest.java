package io.dnalab.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerStatisticsTest {
  @Test
  void countsTokensBasesAndLengths() {
    Tokenizer kmer = KmerTokenizer.create(3, false);
    TokenizerStatistics s = TokenizerStatistics.of(kmer, List.of("ACGACGA", "ACGN"));
    // ACG ACG A | ACG N: 5 tokens for 11 bases.
    assertThat(s.sequences()).isEqualTo(2);
    assertThat(s.bases()).isEqualTo(11);
    assertThat(s.tokens()).isEqualTo(5);
    assertThat(s.basesPerToken()).isEqualTo(11.0 / 5);
    assertThat(s.tokenFrequencies().get(0)).isEqualTo(
        new TokenizerStatistics.TokenCount(kmer.vocabulary().id("ACG"), "ACG", 3, 3, 0.6));
    assertThat(s.vocabularyLengths()).isEqualTo(Map.of(1, 5, 3, 64));
    assertThat(s.tokenLengthsInCorpus()).isEqualTo(Map.of(1, 2L, 3, 3L));
    assertThat(s.unusedTokens()).isEqualTo(64 + 5 - 3);
  }

  @Test
  void fastaStatisticsEqualInMemoryOnes(@TempDir Path dir) throws Exception {
    Path fa = dir.resolve("x.fa");
    Files.writeString(fa, ">a\nACGT\nAC\n>b\n>c\nggcc\n");
    Tokenizer t = NucleotideTokenizer.create();
    TokenizerStatistics file = TokenizerStatistics.ofFasta(t, List.of(fa));
    TokenizerStatistics memory = TokenizerStatistics.of(t, List.of("ACGTAC", "", "GGCC"));
    assertThat(file.tokens()).isEqualTo(memory.tokens()).isEqualTo(10);
    assertThat(file.sequences()).isEqualTo(3);
    assertThat(file.tokenFrequencies()).isEqualTo(memory.tokenFrequencies());
  }
}
