package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * An encoder whose intermediate layers can be read, as {@code transformers}' {@code
 * output_hidden_states} gives them: what {@link PretrainedModel#hiddenStates} and embeddings of a
 * chosen layer need (public checkpoints, and dnalab's own pretrained transformers).
 */
public interface PretrainedEncoder {

  /** Transformer layers, N. */
  int layerCount();

  /**
   * Inference-mode features after {@code layer} layers: 0 is the embedding output, N the
   * encoder's output (after a final LayerNorm where the architecture has one).
   *
   * @param ids (B, L) int64
   * @param mask (B, L) float32, 1 = real token, 0 = padding; null for none
   * @return (B, L, H)
   */
  NDArray hiddenState(ParameterStore ps, NDArray ids, NDArray mask, int layer);
}
