package io.dnalab.train;

import io.dnalab.spec.Objective;
import io.dnalab.tokenize.KmerTokenizer;
import io.dnalab.tokenize.SpecialTokens;
import io.dnalab.tokenize.Tokenizer;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses the hidden tokens of one window for a masked {@link Objective} and replaces them.
 *
 * <p>Units: masking chooses UNITS, then hides every token that contains a chosen unit. For every
 * tokenizer whose tokens do not overlap (nucleotide, non-overlapping k-mers, BPE) a unit is a
 * token. For an OVERLAPPING k-mer tokenizer a unit is a base: token t covers bases t..t+k−1, so
 * hiding base b hides tokens b−k+1..b, the contiguous run of k tokens DNABERT masks. Any visible
 * token would otherwise spell out the hidden base (whole-k-mer masking, applied automatically).
 * For token MLM with overlapping k-mers each base is chosen with probability rate/k, so about
 * {@code rate} of the tokens end up hidden, as with any other tokenizer.
 *
 * <p>Replacement: token MLM and span MLM replace 80% [MASK], 10% a random non-special token, 10%
 * unchanged (per token, resp. per span). With overlapping k-mers, and for RandomMask, every
 * hidden token becomes [MASK]: a random or kept token would reveal bases that are meant hidden.
 *
 * <p>Every window gets at least one hidden token, so each has a loss term.
 */
public final class Masking {
  private final Objective objective;
  private final int maskId;
  private final int vocabSize;
  private final int[] ordinaryIds;
  /** k for overlapping k-mers (units are bases), 1 otherwise (units are tokens). */
  private final int overlap;

  /**
   * A masked window: model input and, per position, the id to predict or -1; {@code units} the
   * chosen units (tokens, or bases for overlapping k-mers).
   */
  public record Masked(int[] input, int[] targets, boolean[] units) {
    public int count() {
      int n = 0;
      for (int t : targets) {
        n += t >= 0 ? 1 : 0;
      }
      return n;
    }
  }

  public Masking(Objective objective, Tokenizer tokenizer) {
    if (!objective.masked()) {
      throw new IllegalArgumentException(objective.id() + " does not mask tokens");
    }
    this.objective = objective;
    SpecialTokens specials = tokenizer.specialTokens();
    this.maskId = specials.mask();
    if (maskId < 0) {
      throw new IllegalArgumentException("the " + tokenizer.type() + " tokenizer has no [MASK]"
          + " token; masked objectives need one");
    }
    this.vocabSize = tokenizer.vocabSize();
    this.overlap = tokenizer instanceof KmerTokenizer kmer && kmer.overlapping() ? kmer.k() : 1;
    int[] ordinary = new int[vocabSize];
    int n = 0;
    for (int id = 0; id < vocabSize; id++) {
      if (!specials.isSpecial(id)) {
        ordinary[n++] = id;
      }
    }
    this.ordinaryIds = Arrays.copyOf(ordinary, n);
  }

  /** k when units are bases of overlapping k-mers, else 1. */
  public int overlap() {
    return overlap;
  }

  /**
   * Masks {@code ids} (the tokens of one window) at optimizer step {@code step} of
   * {@code totalSteps} (RandomMask's schedule reads them).
   */
  public Masked mask(int[] ids, long step, long totalSteps, SplittableRandom random) {
    int tokens = ids.length;
    int units = overlap == 1 ? tokens : tokens + overlap - 1;
    boolean[] chosenUnits = new boolean[units];
    // spanOf[u]: an index identifying the span u was chosen in, so replacement can be per span
    int[] spanOf = new int[units];
    Arrays.fill(spanOf, -1);
    int target = Math.max(1, (int) Math.round(rateOf() * tokens));
    if (objective instanceof Objective.TokenMlm mlm) {
      double p = mlm.rate() / overlap;
      for (int u = 0; u < units; u++) {
        if (random.nextDouble() < p) {
          chosenUnits[u] = true;
          spanOf[u] = u;
        }
      }
    } else {
      int spans = 0;
      int hidden = 0;
      for (int attempt = 0; hidden < target && attempt < 100 * units; attempt++) {
        int length = Math.min(units, spanLength(step, totalSteps, random));
        int start = random.nextInt(units - length + 1);
        for (int u = start; u < start + length; u++) {
          if (!chosenUnits[u]) {
            chosenUnits[u] = true;
            spanOf[u] = spans;
          }
        }
        spans++;
        hidden = hiddenTokens(chosenUnits, tokens).length;
      }
    }
    int[] hidden = hiddenTokens(chosenUnits, tokens);
    if (hidden.length == 0 && tokens > 0) {
      int u = overlap == 1 ? random.nextInt(units) : overlap - 1 + random.nextInt(tokens);
      chosenUnits[u] = true;
      spanOf[u] = u;
      hidden = hiddenTokens(chosenUnits, tokens);
    }
    int[] input = ids.clone();
    int[] targets = new int[tokens];
    Arrays.fill(targets, -1);
    boolean onlyMask = overlap > 1 || objective instanceof Objective.RandomMask;
    // per span (token MLM: per token) replacement draw: 0..0.8 mask, 0.8..0.9 random, else keep
    java.util.Map<Integer, Double> draws = new java.util.HashMap<>();
    for (int t : hidden) {
      targets[t] = ids[t];
      if (onlyMask) {
        input[t] = maskId;
        continue;
      }
      double draw = draws.computeIfAbsent(spanOf[t], key -> random.nextDouble()); // units = tokens
      if (draw < 0.8) {
        input[t] = maskId;
      } else if (draw < 0.9) {
        input[t] = ordinaryIds[random.nextInt(ordinaryIds.length)];
      }
    }
    return new Masked(input, targets, chosenUnits);
  }

  private double rateOf() {
    if (objective instanceof Objective.TokenMlm m) {
      return m.rate();
    }
    if (objective instanceof Objective.SpanMlm s) {
      return s.rate();
    }
    return ((Objective.RandomMask) objective).rate();
  }

  /**
   * One span's length in units. Span MLM: SpanBERT's truncated geometric, P(ℓ) ∝ p(1 − p)^(ℓ−1)
   * on 1..maxSpan, renormalised (SpanBERT's {@code len_distrib}, the geometric conditioned on
   * ℓ ≤ maxSpan), drawn by inverting its CDF F(ℓ) = (1 − q^ℓ) / (1 − q^maxSpan), q = 1 − p, with
   * one uniform u ∈ [0, 1): ℓ is the smallest length with F(ℓ) > u, ⌊ln(1 − u(1 − q^maxSpan)) /
   * ln q⌋ + 1. Mean for p 0.2, max 10: Σ ℓ·P(ℓ) = 3.797.
   *
   * <p>Before, the tail ℓ > maxSpan was clipped to maxSpan instead of renormalised, piling its
   * mass 0.8^9 ≈ 0.134 onto ℓ = 10 and raising the mean to (1 − 0.8^10) / 0.2 ≈ 4.463 (the
   * 4.46 of issue 12): the clipping, not the parameters, was the cause.
   */
  int spanLength(long step, long totalSteps, SplittableRandom random) {
    if (objective instanceof Objective.SpanMlm span) {
      if (span.geometricP() >= 1 || span.maxSpan() == 1) {
        return 1;
      }
      double q = 1 - span.geometricP();
      double u = random.nextDouble(); // [0, 1)
      double length = Math.floor(Math.log1p(-u * (1 - Math.pow(q, span.maxSpan())))
          / Math.log(q)) + 1;
      // in 1..maxSpan exactly; rounding as u → 1 could give maxSpan + 1
      return (int) Math.min(span.maxSpan(), length);
    }
    Objective.RandomMask curriculum = (Objective.RandomMask) objective;
    int largest = curriculum.largestSpanAt(step, totalSteps);
    return curriculum.minSpan() + random.nextInt(largest - curriculum.minSpan() + 1);
  }

  /** Tokens containing at least one chosen unit, ascending. */
  private int[] hiddenTokens(boolean[] chosenUnits, int tokens) {
    int[] out = new int[tokens];
    int n = 0;
    if (overlap == 1) {
      for (int t = 0; t < tokens; t++) {
        if (chosenUnits[t]) {
          out[n++] = t;
        }
      }
      return Arrays.copyOf(out, n);
    }
    // token t covers bases t..t+k-1: hidden when any of them is chosen (sliding count)
    int inWindow = 0;
    for (int b = 0; b < overlap - 1 && b < chosenUnits.length; b++) {
      inWindow += chosenUnits[b] ? 1 : 0;
    }
    for (int t = 0; t < tokens; t++) {
      int last = t + overlap - 1;
      inWindow += chosenUnits[last] ? 1 : 0;
      if (inWindow > 0) {
        out[n++] = t;
      }
      inWindow -= chosenUnits[t] ? 1 : 0;
    }
    return Arrays.copyOf(out, n);
  }
}
