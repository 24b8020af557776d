package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

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
  void spanMlmSpanLengthsAreSpanBertsTruncatedGeometricWithMean3Point8() {
    // SpanBERT's p = 0.2, max 10: P(ℓ) = 0.2·0.8^(ℓ−1) / (1 − 0.8^10) on 1..10, mean 3.7971.
    //   python3 -c "Z=1-.8**10; P=[.2*.8**(l-1)/Z for l in range(1,11)];
    //               print(sum(l*x for l,x in zip(range(1,11),P)), P[0], P[9])"
    //   -> 3.797097503983288 0.22405804992033432 0.030072562400417866
    // Clipping the tail at 10 instead of renormalising (the sampler before this test) piles
    // 0.8^9 = 0.1342 onto ℓ = 10 and gives mean (1 − 0.8^10) / 0.2 = 4.4631: the 4.46.
    // Tolerances for 200,000 draws: sd 2.554, so the mean has SE 0.0057 -> ±0.03 (5 SE);
    // the frequencies of 1 and 10 have SE 0.0009 and 0.0004 -> ±0.005.
    Masking masking = new Masking(Objective.SpanMlm.spanBert(), NucleotideTokenizer.create());
    SplittableRandom random = new SplittableRandom(7);
    int draws = 200_000;
    long[] counts = new long[11];
    double sum = 0;
    for (int i = 0; i < draws; i++) {
      int length = masking.spanLength(0, 1, random);
      assertThat(length).isBetween(1, 10);
      counts[length]++;
      sum += length;
    }
    double mean = sum / draws;
    System.out.printf("span MLM: mean span length %.4f over %d draws, P(1) %.4f, P(10) %.4f%n",
        mean, draws, (double) counts[1] / draws, (double) counts[10] / draws);
    assertThat(mean).isCloseTo(3.7971, offset(0.03));
    assertThat((double) counts[1] / draws).isCloseTo(0.2241, offset(0.005));
    assertThat((double) counts[10] / draws).isCloseTo(0.0301, offset(0.005));
    // Edge cases of the inverse CDF: p = 1 and maxSpan = 1 always give 1.
    assertThat(new Masking(new Objective.SpanMlm(0.15, 1.0, 10), NucleotideTokenizer.create())
        .spanLength(0, 1, random)).isEqualTo(1);
    assertThat(new Masking(new Objective.SpanMlm(0.15, 0.2, 1), NucleotideTokenizer.create())
        .spanLength(0, 1, random)).isEqualTo(1);
  }

  @Test
  void randomMaskHidesTheSameFractionAtEveryStageOfItsCurriculum() {
    // defaults(): rate 0.15, spans 1..8 over 4 stages; with 100 steps the stages start at steps
    // 0, 25, 50, 75 and allow spans up to 1, 3, 6, 8. Spans are placed until round(0.15 · tokens)
    // tokens are hidden, so a window ends at most one span past that (the last span adds at most
    // largest tokens, or largest + k − 1 for overlapping k-mers): each window's count is bounded
    // exactly, and the mean fraction per stage is 0.15 within that overshoot: at most
    // (largest − 1) / 400 = 0.0175 for 400 nucleotides, (largest + 4) / 395 = 0.030 for 6-mers.
    Objective.RandomMask curriculum = Objective.RandomMask.defaults();
    int[] largest = {1, 3, 6, 8};
    for (Tokenizer tokenizer : new Tokenizer[] {NucleotideTokenizer.create(),
        KmerTokenizer.create(6, true)}) {
      Masking masking = new Masking(curriculum, tokenizer);
      int k = masking.overlap();
      Random random = new Random(8);
      SplittableRandom masks = new SplittableRandom(9);
      for (int stage = 0; stage < 4; stage++) {
        long step = 25L * stage + 10; // inside the stage
        assertThat(curriculum.largestSpanAt(step, 100)).isEqualTo(largest[stage]);
        long hidden = 0;
        long tokens = 0;
        for (int w = 0; w < 300; w++) {
          int[] ids = tokenizer.encodeIds(randomDna(random, 400));
          int target = (int) Math.round(0.15 * ids.length);
          int count = masking.mask(ids, step, 100, masks).count();
          assertThat(count).as("%s stage %d window %d", tokenizer.type(), stage, w)
              .isBetween(target, target + largest[stage] + k - 2);
          hidden += count;
          tokens += ids.length;
        }
        double fraction = (double) hidden / tokens;
        double overshoot = (double) (largest[stage] + k - 2) / (400 - k + 1);
        System.out.printf("randommask %s stage %d (spans 1..%d): masked fraction %.4f%n",
            tokenizer.type(), stage, largest[stage], fraction);
        assertThat(fraction).as("%s stage %d", tokenizer.type(), stage)
            .isBetween(0.15 - 0.5 / (400 - k + 1), 0.15 + overshoot);
      }
    }
  }

  @Test
  void nextTokenIsNotAMaskedObjective() {
    assertThatThrownBy(() -> new Masking(new Objective.NextToken(), NucleotideTokenizer.create()))
        .hasMessageContaining("nexttoken does not mask tokens");
  }
}
