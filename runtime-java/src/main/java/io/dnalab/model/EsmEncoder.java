package io.dnalab.model;

import static io.dnalab.model.StandardBertEncoder.dropout;
import static io.dnalab.model.StandardBertEncoder.linear;

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
import io.dnalab.spec.ModelSpec;

/**
 * The ESM encoder as {@code transformers}' {@code EsmModel} builds it with absolute positions,
 * the Nucleotide Transformer v1's architecture ({@link ModelSpec.Esm}):
 *
 * <pre>
 * ids (B, L); real = ids ≠ pad (B, L)
 * positions = cumsum(real) · real + pad     (token t of a sequence: pad + 1 + t; padding: pad)
 * x = word (V, H)[ids] + position (P, H)[positions]; with a mask, x · mask   (B, L, H)
 * layer × N (pre-norm):
 *   x = x + dropout(Attention(LayerNorm(x)))         (q/√d · kᵀ + padding bias; see
 *                                                     StandardBertEncoder.Attention)
 *   x = x + dropout(Linear(I → H)(gelu(Linear(H → I)(LayerNorm(x)))))
 * x = LayerNorm(x)    (emb_layer_norm_after, only after the last layer)             (B, L, H)
 * </pre>
 *
 * No embedding LayerNorm ({@code emb_layer_norm_before} false) and no token dropout, as NT v1.
 * GELU is the exact (erf) one. Initialisation as ESM: N(0, 0.02) weights and embeddings, zero
 * biases, LayerNorm 1 / 0.
 */
public final class EsmEncoder extends TransformerEncoder<EsmEncoder.Layer> {
  private final ModelSpec.Esm spec;
  private final Parameter positionEmbedding;
  private final LayerNorm finalNorm;

  public EsmEncoder(ModelSpec.Esm spec, InputVocabulary vocabulary) {
    super((byte) 1, vocabulary, spec.hidden(), (float) spec.layerNormEps());
    this.spec = spec;
    addWordEmbedding(StandardBertEncoder.table("word_embedding", vocabulary.size(),
        spec.hidden()));
    positionEmbedding = addParameter(StandardBertEncoder.table("position_embedding",
        spec.maxPositions(), spec.hidden()));
    for (int i = 0; i < spec.layers(); i++) {
      layers.add(addChildBlock("layer_" + i, new Layer(spec)));
    }
    finalNorm = addChildBlock("final_norm", layerNorm(spec));
  }

  private static LayerNorm layerNorm(ModelSpec.Esm spec) {
    return Layers.layerNormChannelsLast((float) spec.layerNormEps());
  }

  public ModelSpec.Esm spec() {
    return spec;
  }

  @Override
  NDArray throughLayer(ParameterStore ps, NDArray ids, NDArray mask, int layer,
      boolean training) {
    long length = ids.getShape().get(1);
    int pad = vocabulary().padId();
    if (pad + 1 + length > spec.maxPositions()) {
      throw new IllegalArgumentException("a sequence of " + length + " tokens is longer than "
          + spec.id() + " takes (" + spec.maxPositions() + " positions, the first " + (pad + 1)
          + " before the first token); truncate it");
    }
    NDArray words = ps.getValue(tokenEmbedding(), ids.getDevice(), training); // (V, H)
    NDArray positions = ps.getValue(positionEmbedding, ids.getDevice(), training); // (P, H)
    // transformers' create_position_ids_from_input_ids: from the ids, not the mask
    NDArray real = ids.neq(pad).toType(DataType.INT64, false); // (B, L)
    NDArray positionIds = real.cumSum(1).mul(real).add(pad); // (B, L)
    NDArray x = Layers.lookup(ids, words).add(Layers.lookup(positionIds, positions)); // (B,L,H)
    if (mask != null) {
      x = x.mul(mask.expandDims(2));
    }
    NDArray bias = StandardBertEncoder.paddingBias(mask);
    x = throughLayers(ps, x, bias, layer, training, ids.getManager());
    if (layer == layers.size()) {
      x = finalNorm.forward(ps, new NDList(x), training).head();
    }
    return x;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape features = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), spec.hidden());
    for (Layer layer : layers) {
      layer.initialize(manager, dataType, features);
    }
    finalNorm.initialize(manager, dataType, features);
  }

  /** One pre-norm ESM layer: [x (B, L, H), optional bias] -> [x (B, L, H)]. */
  static final class Layer extends AbstractBlock {
    private final ModelSpec.Esm spec;
    private final LayerNorm attentionNorm;
    private final StandardBertEncoder.Attention attention;
    private final LayerNorm feedForwardNorm;
    private final Linear intermediate;
    private final Linear output;

    Layer(ModelSpec.Esm spec) {
      super((byte) 1);
      this.spec = spec;
      attentionNorm = addChildBlock("attention_norm", layerNorm(spec));
      attention = addChildBlock("attention", new StandardBertEncoder.Attention(spec.hidden(),
          spec.heads(), spec.attentionDropout()));
      feedForwardNorm = addChildBlock("feed_forward_norm", layerNorm(spec));
      intermediate = addChildBlock("intermediate",
          bertInit(Linear.builder().setUnits(spec.intermediate()).build()));
      output = addChildBlock("output", bertInit(Linear.builder().setUnits(spec.hidden()).build()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
        PairList<String, Object> params) {
      NDArray x = inputs.get(0);
      NDList attentionInputs = new NDList(attentionNorm.forward(ps, new NDList(x), training)
          .head());
      if (inputs.size() > 1) {
        attentionInputs.add(inputs.get(1));
      }
      x = x.add(dropout(attention.forward(ps, attentionInputs, training).head(), spec.dropout(),
          training));
      NDArray normed = feedForwardNorm.forward(ps, new NDList(x), training).head();
      NDArray f = linear(output, ps, Activation.gelu(linear(intermediate, ps, normed, training)),
          training);
      return new NDList(x.add(dropout(f, spec.dropout(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
        Shape... inputShapes) {
      Shape features = inputShapes[0];
      attentionNorm.initialize(manager, dataType, features);
      attention.initialize(manager, dataType, features);
      feedForwardNorm.initialize(manager, dataType, features);
      intermediate.initialize(manager, dataType, features);
      output.initialize(manager, dataType,
          new Shape(features.get(0), features.get(1), spec.intermediate()));
    }
  }
}
