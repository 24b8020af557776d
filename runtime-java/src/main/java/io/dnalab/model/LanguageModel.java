package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A {@link TokenEncoder} with BERT's token-prediction head: what pretraining objectives (masked
 * or next-token) train. After pretraining, {@link #encoder()}'s parameters are the checkpoint.
 *
 * <pre>
 * ids (B, L) [+ mask (B, L)] ─► encoder ─► (B, L, H)
 * transform: Linear(H → H) ─► GELU ─► LayerNorm                         (B, L, H)
 * decoder  : Linear(H → V), weight (V, H) tied to the encoder's token
 *            embedding or its own, bias (V) always its own              (B, L, V) logits
 * </pre>
 *
 * Tying (BERT's and DNABERT-2's default) needs an encoder with a token embedding of width H
 * ({@link TokenEncoder#tokenEmbedding()}); the convolutional encoders have none and get an
 * untied decoder. A tied decoder adds only its bias: the embedding's gradient then sums the
 * input and output uses of the table.
 */
public final class LanguageModel extends AbstractBlock {
  private final TokenEncoder encoder;
  private final Linear transform;
  private final LayerNorm norm;
  private final Parameter tiedWeight; // the encoder's (V, H) table, or null
  private final Parameter tiedBias; // (V) when tied
  private final Linear decoder; // when untied

  /** @param tie tie the decoder to the encoder's token embedding when it has one */
  public LanguageModel(TokenEncoder encoder, boolean tie) {
    super((byte) 1);
    int hidden = encoder.hiddenSize();
    int vocab = encoder.vocabulary().size();
    this.encoder = addChildBlock("encoder", encoder);
    transform = addChildBlock("transform",
        encoder.headLayer(Linear.builder().setUnits(hidden).build(), hidden));
    norm = addChildBlock("norm", Layers.layerNormChannelsLast(encoder.headLayerNormEpsilon()));
    Parameter embedding = tie ? encoder.tokenEmbedding() : null;
    if (embedding != null) {
      tiedWeight = embedding;
      tiedBias = addParameter(Parameter.builder().setName("decoder_bias")
          .setType(Parameter.Type.BIAS).optShape(new Shape(vocab)).build());
      decoder = null;
    } else {
      tiedWeight = null;
      tiedBias = null;
      decoder = addChildBlock("decoder",
          encoder.headLayer(Linear.builder().setUnits(vocab).build(), hidden));
    }
  }

  public TokenEncoder encoder() {
    return encoder;
  }

  /** Whether the decoder shares the encoder's token embedding. */
  public boolean isTied() {
    return tiedWeight != null;
  }

  /** Number of trainable scalars (a tied table counted once), once initialised. */
  public long parameterCount() {
    return Layers.countParameters(this);
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray features = encoder.forward(ps, inputs, training).head(); // (B, L, H)
    NDArray h = transform.forward(ps, new NDList(features), training).head();
    h = norm.forward(ps, new NDList(Activation.gelu(h)), training).head(); // (B, L, H)
    if (decoder != null) {
      return decoder.forward(ps, new NDList(h), training); // (B, L, V)
    }
    NDArray weight = ps.getValue(tiedWeight, h.getDevice(), training); // (V, H)
    NDArray bias = ps.getValue(tiedBias, h.getDevice(), training); // (V)
    return h.getNDArrayInternal().linear(h, weight, bias); // (B, L, V)
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    // (B, L) ids [+ (B, L) mask] -> (B, L, V)
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1),
        encoder.vocabulary().size())};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape features = new Shape(inputShapes[0].get(0), inputShapes[0].get(1),
        encoder.hiddenSize());
    encoder.initialize(manager, dataType, inputShapes);
    transform.initialize(manager, dataType, features);
    norm.initialize(manager, dataType, features);
    if (decoder != null) {
      decoder.initialize(manager, dataType, features);
    }
  }
}
