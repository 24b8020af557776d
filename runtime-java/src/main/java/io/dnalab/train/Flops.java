package io.dnalab.train;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.dnalab.spec.ModelSpec;

/**
 * Analytic FLOP estimates (a multiply-add counts 2). Training = 3 × forward (the backward pass
 * costs about twice the forward: gradients with respect to activations and to weights).
 *
 * <p>BERT ({@link ModelSpec.Bert}), per token and layer, forward, with H hidden, I intermediate,
 * L tokens in the sequence:
 *
 * <pre>
 * Q, K, V projections   2 · H · 3H      = 6H²
 * attention scores q·kᵀ 2 · L · H
 * weighted sum a·v      2 · L · H
 * output projection     2 · H · H       = 2H²
 * GEGLU in (H → 2I)     2 · H · 2I      = 4HI
 * GEGLU out (I → H)     2 · I · H       = 2HI
 * total                 8H² + 6HI + 4LH = 2·(4H² + 3HI + 2LH)
 * </pre>
 *
 * plus, per token, the head: a language-model head 2H² (transform) + 2HV (decoder), a
 * classification head 2HK at one position per sequence (negligible, left out). Embedding lookups,
 * LayerNorm, softmax, GELU and biases are left out (O(H) per token, under 1% at H ≥ 128).
 *
 * <p>Convolutional encoders: per output position, each convolution costs 2·k·(Cin/groups)·Cout
 * and each dense layer 2·in·out, i.e. 2 × the size of its weight tensor; the estimate sums
 * 2 × every weight tensor of rank ≥ 2 and assumes every layer runs at full sequence length,
 * which overestimates U-Net's downsampled levels (by up to 2^level).
 */
public final class Flops {
  private Flops() {}

  /** Forward FLOPs of one token of a BERT encoder's layers in a sequence of {@code length}. */
  public static double bertLayersPerToken(ModelSpec.Bert bert, int length) {
    double h = bert.hidden();
    double i = bert.intermediate();
    return bert.layers() * 2.0 * (4 * h * h + 3 * h * i + 2.0 * length * h);
  }

  /** Forward FLOPs per token of a language-model head (transform H→H + decoder H→V). */
  public static double languageModelHeadPerToken(int hidden, int vocabSize) {
    return 2.0 * hidden * hidden + 2.0 * hidden * vocabSize;
  }

  /**
   * Forward FLOPs per position of a convolutional block: 2 × each weight tensor of rank ≥ 2 (the
   * embedding table, a lookup, is skipped by name).
   */
  public static double weightsPerPosition(Block block) {
    double total = 0;
    for (Pair<String, Parameter> pair : block.getParameters()) {
      Parameter parameter = pair.getValue();
      if (parameter.getType() != Parameter.Type.WEIGHT || !parameter.isInitialized()) {
        continue;
      }
      Shape shape = parameter.getArray().getShape();
      if (shape.dimension() >= 2 && !pair.getKey().toLowerCase().contains("embedding")) {
        total += 2.0 * shape.size();
      }
    }
    return total;
  }

  /**
   * Training FLOPs (3 × forward) of {@code tokens} tokens through an encoder, in sequences of
   * {@code length} tokens, with {@code headPerToken} forward FLOPs of head per token.
   */
  public static double training(ModelSpec spec, Block encoder, int length, long tokens,
      double headPerToken) {
    double perToken = spec instanceof ModelSpec.Bert bert ? bertLayersPerToken(bert, length)
        : weightsPerPosition(encoder);
    return 3.0 * tokens * (perToken + headPerToken);
  }
}
