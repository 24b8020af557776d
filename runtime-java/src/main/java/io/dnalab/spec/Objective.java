package io.dnalab.spec;

/**
 * What the encoder learns to predict during pretraining. Masked objectives choose which tokens
 * to hide; the loss is cross-entropy on the hidden tokens only.
 *
 * <p>Whole-k-mer masking is not a separate objective: whenever the tokenizer is an OVERLAPPING
 * k-mer tokenizer, every masked objective chooses bases rather than tokens and hides every token
 * that contains a chosen base (a run of k tokens per base, as DNABERT), because a neighbouring
 * k-mer left visible would spell out the hidden base. {@code io.dnalab.train.Masking} does this.
 */
public sealed interface Objective {

  /** A short stable name for tables. */
  String id();

  /** Whether the objective hides tokens (all but {@link NextToken}). */
  default boolean masked() {
    return true;
  }

  /**
   * BERT / DNABERT-2 token masking: each token is chosen with probability {@code rate}; a chosen
   * token becomes [MASK] with probability 0.8, a random token with 0.1 and stays with 0.1 (the
   * last two keep the encoder from relying on [MASK] being present at fine-tuning time).
   */
  record TokenMlm(double rate) implements Objective {
    public TokenMlm {
      rateCheck(rate);
    }

    public static TokenMlm bert() {
      return new TokenMlm(0.15);
    }

    @Override
    public String id() {
      return "mlm";
    }
  }

  /**
   * SpanBERT-style span masking: spans of contiguous tokens (bases for overlapping k-mers) are
   * hidden until {@code rate} of the window is; each span's length is drawn, as SpanBERT does,
   * from the geometric distribution with parameter {@code geometricP} truncated to 1..{@code
   * maxSpan} and renormalised: P(ℓ) = p(1 − p)^(ℓ−1) / (1 − (1 − p)^maxSpan). SpanBERT uses
   * p = 0.2, max 10: mean span length 3.797 ≈ 3.8 (measured in {@code MaskingTest}). Spans may
   * touch or overlap, so the runs of hidden tokens in a window are on average somewhat longer.
   * Chosen tokens are replaced 80/10/10 as in token MLM, decided per span.
   */
  record SpanMlm(double rate, double geometricP, int maxSpan) implements Objective {
    public SpanMlm {
      rateCheck(rate);
      if (!(geometricP > 0 && geometricP <= 1)) {
        throw new SpecException("objective.geometricP", "must be in (0, 1], got " + geometricP);
      }
      SpecException.inRange("objective.maxSpan", maxSpan, 1, 4096);
    }

    public static SpanMlm spanBert() {
      return new SpanMlm(0.15, 0.2, 10);
    }

    @Override
    public String id() {
      return "spanmlm";
    }
  }

  /**
   * RandomMask: dnalab's own schedule for the expanding-mask curriculum of Liang et al., "Toward
   * Understanding BERT-Like Pre-Training for DNA Foundation Models" (arXiv 2310.07644, 2024).
   *
   * <p>The paper, in its abstract (arXiv v3, checked against the abstract page): "we introduce a
   * novel approach called RandomMask, which gradually increases the task difficulty of BERT-like
   * pre-training by continuously expanding its mask boundary, forcing the model to learn more
   * knowledge." Their finding behind it, also from the abstract: an overlapping tokenizer "can
   * benefit the fine-tuning of downstream tasks but leads to inadequate pre-training with fast
   * convergence" (a model reads a hidden k-mer off its overlapping neighbours).
   *
   * <p>This schedule is dnalab's, not a copy of the authors' code, which dnalab has not read:
   * the staircase of stages, the uniform span lengths, the constant masked fraction and all-[MASK]
   * replacement below are dnalab's choices. The schedule:
   *
   * <ul>
   *   <li>training is cut into {@code stages} equal stages; in stage s (0-based) the largest
   *       allowed span is {@code minSpan + round(s · (maxSpan − minSpan) / (stages − 1))}, a
   *       staircase from {@code minSpan} to {@code maxSpan};
   *   <li>each span's length is drawn uniformly from {@code [minSpan, largest allowed]}, so short,
   *       easy spans stay in the mix (the "random" of RandomMask) while hard ones appear;
   *   <li>spans are placed until {@code rate} of the window's units (tokens, or bases for
   *       overlapping k-mers) are hidden, so the masked fraction does not grow, only the
   *       contiguity: the difficulty rises without changing how many targets a step sees (a
   *       window ends at most one span's tokens past {@code rate}; {@code MaskingTest} measures
   *       the fraction per stage).
   * </ul>
   *
   * Chosen tokens all become [MASK] (no 10% random / 10% kept): a kept token inside a long span
   * would hand the model exactly the context the curriculum removes.
   */
  record RandomMask(double rate, int minSpan, int maxSpan, int stages) implements Objective {
    public RandomMask {
      rateCheck(rate);
      SpecException.inRange("objective.minSpan", minSpan, 1, 4096);
      SpecException.inRange("objective.maxSpan", maxSpan, minSpan, 4096);
      SpecException.inRange("objective.stages", stages, 1, 1000);
    }

    /** 15% of units, spans from 1 to 8 units over 4 stages. */
    public static RandomMask defaults() {
      return new RandomMask(0.15, 1, 8, 4);
    }

    /** The largest span allowed at {@code step} of {@code totalSteps} (0-based step). */
    public int largestSpanAt(long step, long totalSteps) {
      if (stages == 1) {
        return maxSpan;
      }
      int stage = (int) Math.min(stages - 1, step * stages / Math.max(1, totalSteps));
      return minSpan + (int) Math.round((double) stage * (maxSpan - minSpan) / (stages - 1));
    }

    @Override
    public String id() {
      return "randommask";
    }
  }

  /** Causal language modelling: predict token i+1 from tokens 0..i (the encoder runs causally). */
  record NextToken() implements Objective {
    @Override
    public boolean masked() {
      return false;
    }

    @Override
    public String id() {
      return "nexttoken";
    }
  }

  private static void rateCheck(double rate) {
    if (!(rate > 0 && rate < 1)) {
      throw new SpecException("objective.rate", "must be in (0, 1), got " + rate);
    }
  }
}
