package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.Objective;
import io.dnalab.tokenize.KmerTokenizer;
import io.dnalab.tokenize.NucleotideTokenizer;
import io.dnalab.tokenize.Tokenizer;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaskingTest {
  static String randomDna(Random random, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append("ACGT".charAt(random.nextInt(4)));
    }
    return s.toString();
  }

  @Test
  void overlappingKmersHideEveryTokenThatContainsAHiddenBase() {
    Tokenizer sixMers = KmerTokenizer.create(6, true);
    int mask = sixMers.specialTokens().mask();
    Random random = new Random(1);
    SplittableRandom masks = new SplittableRandom(2);
    for (Objective objective : new Objective[] {Objective.TokenMlm.bert(),
        Objective.SpanMlm.spanBert(), Objective.RandomMask.defaults()}) {
      Masking masking = new Masking(objective, sixMers);
      assertThat(masking.overlap()).isEqualTo(6);
      long hiddenTokens = 0;
      long tokens = 0;
      for (int w = 0; w < 200; w++) {
        int[] ids = sixMers.encodeIds(randomDna(random, 300)); // 295 tokens
        Masking.Masked masked = masking.mask(ids, 50, 100, masks);
        boolean[] bases = masked.units();
        assertThat(bases).hasSize(300);
        for (int b = 0; b < bases.length; b++) {
          if (!bases[b]) {
            continue;
          }
          // tokens b-5..b contain base b: each must be hidden ([MASK]) and predicted
          for (int t = Math.max(0, b - 5); t <= Math.min(ids.length - 1, b); t++) {
            assertThat(masked.input()[t]).as("%s token %d over hidden base %d", objective.id(),
                t, b).isEqualTo(mask);
            assertThat(masked.targets()[t]).isEqualTo(ids[t]);
          }
        }
        for (int t = 0; t < ids.length; t++) {
          if (masked.targets()[t] < 0) {
            assertThat(masked.input()[t]).isEqualTo(ids[t]); // visible tokens are untouched
          }
        }
        hiddenTokens += masked.count();
        tokens += ids.length;
      }
      // about 15% of the tokens are hidden (rate/k per base for token MLM; span budget otherwise)
      assertThat((double) hiddenTokens / tokens).as(objective.id()).isBetween(0.10, 0.22);
    }
  }

  @Test
  void tokenMlmReplaces80PercentWithMask10Random10Kept() {
    Tokenizer nucleotides = NucleotideTokenizer.create();
    Masking masking = new Masking(Objective.TokenMlm.bert(), nucleotides);
    int mask = nucleotides.specialTokens().mask();
    Random random = new Random(3);
    SplittableRandom masks = new SplittableRandom(4);
    long chosen = 0;
    long masked = 0;
    long kept = 0;
    long positions = 0;
    for (int w = 0; w < 300; w++) {
      int[] ids = nucleotides.encodeIds(randomDna(random, 200));
      Masking.Masked m = masking.mask(ids, 0, 1, masks);
      positions += ids.length;
      for (int t = 0; t < ids.length; t++) {
        if (m.targets()[t] >= 0) {
          chosen++;
          masked += m.input()[t] == mask ? 1 : 0;
          kept += m.input()[t] == ids[t] ? 1 : 0;
          assertThat(nucleotides.specialTokens().isSpecial(m.input()[t])
              && m.input()[t] != mask).isFalse();
        }
      }
    }
    assertThat((double) chosen / positions).isBetween(0.14, 0.16);
    assertThat((double) masked / chosen).isBetween(0.77, 0.83);
    // kept: 10% plus a random replacement that drew the same base (10% · 1/4)
    assertThat((double) kept / chosen).isBetween(0.10, 0.15);
  }

  @Test
  void randomMaskSpansGrowOverTraining() {
    Tokenizer nucleotides = NucleotideTokenizer.create();
    Masking masking = new Masking(new Objective.RandomMask(0.15, 1, 9, 3), nucleotides);
    Random random = new Random(5);
    SplittableRandom masks = new SplittableRandom(6);
    double early = meanRunLength(masking, nucleotides, random, masks, 0);
    double late = meanRunLength(masking, nucleotides, random, masks, 99);
    assertThat(early).isLessThan(1.3); // stage 0: spans of 1 (neighbours may touch)
    assertThat(late).isGreaterThan(3.5); // stage 2: uniform 1..9, mean 5 before merging
  }

  private static double meanRunLength(Masking masking, Tokenizer tokenizer, Random random,
      SplittableRandom masks, long step) {
    long runs = 0;
    long hidden = 0;
    for (int w = 0; w < 100; w++) {
      Masking.Masked m = masking.mask(tokenizer.encodeIds(randomDna(random, 400)), step, 100,
          masks);
      for (int t = 0; t < m.targets().length; t++) {
        if (m.targets()[t] >= 0) {
          hidden++;
          if (t == 0 || m.targets()[t - 1] < 0) {
            runs++;
          }
        }
      }
    }
    return (double) hidden / runs;
  }

  @Test
  void nextTokenIsNotAMaskedObjective() {
    assertThatThrownBy(() -> new Masking(new Objective.NextToken(), NucleotideTokenizer.create()))
        .hasMessageContaining("nexttoken does not mask tokens");
  }
}
