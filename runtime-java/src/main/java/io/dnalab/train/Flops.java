package io.dnalab.train;

import ai.djl.nn.Block;
import io.dnalab.model.ModelRegistry;
import io.dnalab.spec.ModelSpec;

/**
 * Analytic FLOP estimates (a multiply-add counts 2). Training = 3 × forward (the backward pass
 * costs about twice the forward: gradients with respect to activations and to weights).
 *
 * <p>The forward cost of a model's layers per token is its family's
 * ({@link io.dnalab.model.ModelFamily#forwardFlopsPerToken}): BERT's from its sizes, the
 * convolutional families' 2 × their weights per position. A language-model head adds, per token,
 * 2H² (transform) + 2HV (decoder), see {@link #languageModelHeadPerToken}.
 */
public final class Flops {
  private Flops() {}

  /** Forward FLOPs per token of a language-model head (transform H→H + decoder H→V). */
  public static double languageModelHeadPerToken(int hidden, int vocabSize) {
    return 2.0 * hidden * hidden + 2.0 * hidden * vocabSize;
  }

  /**
   * Training FLOPs (3 × forward) of {@code tokens} tokens through {@code model} (an initialised
   * encoder or classifier of {@code spec}), in sequences of {@code length} tokens, with
   * {@code headPerToken} forward FLOPs of head per token.
   */
  public static double training(ModelSpec spec, Block model, int length, long tokens,
      double headPerToken) {
    double perToken = ModelRegistry.forwardFlopsPerToken(spec, model, length);
    return 3.0 * tokens * (perToken + headPerToken);
  }
}
