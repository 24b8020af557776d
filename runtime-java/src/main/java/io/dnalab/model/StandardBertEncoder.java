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
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.dnalab.spec.ModelSpec;
import java.util.List;

/**
 * BERT as {@code transformers}' {@code BertModel} builds it, DNABERT's architecture
 * ({@link ModelSpec.StandardBert}):
 *
 * <pre>
 * ids (B, L) ─► word (V, H) + position[0..L) (P, H) + token type row 0 (T, H)
 *            ─► LayerNorm ─► dropout                                              (B, L, H)
 * attention bias (B, 1, 1, L) = −1e9 where key j is padding (mask 0)
 * layer × N (post-norm):
 *   a = Attention(x): q, k, v = Linear(H → H) each ─► (B, h, L, d);
 *       softmax(q/√d · kᵀ + bias) ─► attention dropout ─► ·v ─► Linear(H → H)     (B, L, H)
 *   x = LayerNorm(x + dropout(a))
 *   x = LayerNorm(x + dropout(Linear(I → H)(gelu(Linear(H → I)(x)))))             (B, L, H)
 * </pre>
 *
 * GELU is the exact (erf) one, transformers' {@code "gelu"}; LayerNorm eps 1e-12 (BERT's).
 * Initialisation as BERT: weights and embeddings N(0, 0.02), biases 0, LayerNorm 1 / 0.
 */
public final class StandardBertEncoder
    extends TransformerEncoder<StandardBertEncoder.Layer> {
  /** BERT's {@code layer_norm_eps}. */
  public static final float LAYER_NORM_EPSILON = 1e-12f;
  /** Added to the scores of padding keys: exp underflows to exactly 0. */
  static final float BLOCKED = -1e9f;

  private final ModelSpec.StandardBert spec;
  private final Parameter positionEmbedding;
  private final Parameter tokenTypeEmbedding;
  private final LayerNorm embeddingNorm;

  public StandardBertEncoder(ModelSpec.StandardBert spec, InputVocabulary vocabulary) {
    super((byte) 1, vocabulary, spec.hidden(), LAYER_NORM_EPSILON);
    this.spec = spec;
    addWordEmbedding(table("word_embedding", vocabulary.size(), spec.hidden()));
    positionEmbedding = addParameter(table("position_embedding", spec.maxPositions(),
        spec.hidden()));
    tokenTypeEmbedding = addParameter(table("token_type_embedding", spec.typeVocabSize(),
        spec.hidden()));
    embeddingNorm = addChildBlock("embedding_norm",
        Layers.layerNormChannelsLast(LAYER_NORM_EPSILON));
    for (int i = 0; i < spec.layers(); i++) {
      layers.add(addChildBlock("layer_" + i, new Layer(spec)));
    }
  }

  /** A learned (rows, H) table drawn N(0, 0.02). */
  static Parameter table(String name, int rows, int hidden) {
    return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(rows, hidden)).optInitializer(new NormalInitializer(INIT_STD))
        .build();
  }

  public ModelSpec.StandardBert spec() {
    return spec;
  }

  @Override
  NDArray throughLayer(ParameterStore ps, NDArray ids, NDArray mask, int layer,
      boolean training) {
    long length = ids.getShape().get(1);
    if (length > spec.maxPositions()) {
      throw new IllegalArgumentException("a sequence of " + length + " tokens is longer than "
          + spec.id() + "'s " + spec.maxPositions() + " positions; truncate it");
    }
    NDManager manager = ids.getManager();
    NDArray words = ps.getValue(tokenEmbedding(), ids.getDevice(), training); // (V, H)
    NDArray positions = ps.getValue(positionEmbedding, ids.getDevice(), training); // (P, H)
    NDArray types = ps.getValue(tokenTypeEmbedding, ids.getDevice(), training); // (T, H)
    NDArray positionRows = Layers.lookup(manager.arange(0, (int) length).toType(DataType.INT64,
        false), positions); // (L, H)
    NDArray x = Layers.lookup(ids, words).add(positionRows).add(types.get(0)); // (B, L, H)
    x = embeddingNorm.forward(ps, new NDList(x), training).head();
    x = dropout(x, spec.dropout(), training);
    NDArray bias = paddingBias(mask);
    x = throughLayers(ps, x, bias, layer, training, manager);
    return x;
  }

  /** (B, L) mask -> (B, 1, 1, L) additive bias, 0 at real keys and −1e9 at padding; or null. */
  static NDArray paddingBias(NDArray mask) {
    if (mask == null) {
      return null;
    }
    Shape shape = mask.getShape();
    return mask.sub(1f).mul(-BLOCKED).reshape(shape.get(0), 1, 1, shape.get(1));
  }

  static NDArray dropout(NDArray x, double rate, boolean training) {
    return training && rate > 0 ? Dropout.dropout(x, (float) rate, true).head() : x;
  }

  /**
   * A Linear over (B, L, C) run on the (B·L, C) view, where libtorch fuses the bias into the
   * product (addmm). (B, L, C) -> (B, L, C').
   */
  static NDArray linear(Linear layer, ParameterStore ps, NDArray x, boolean training) {
    Shape shape = x.getShape();
    NDArray flat = x.reshape(shape.get(0) * shape.get(1), shape.get(2));
    NDArray y = layer.forward(ps, new NDList(flat), training).head();
    return y.reshape(shape.get(0), shape.get(1), y.getShape().get(1));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape features = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), spec.hidden());
    embeddingNorm.initialize(manager, dataType, features);
    for (Layer layer : layers) {
      layer.initialize(manager, dataType, features);
    }
  }

  /**
   * Multi-head self-attention with separate query, key and value projections (BERT's and ESM's
   * {@code attention.self.query/key/value}, then {@code attention.output.dense}): inputs [x (B, L,
   * H), optional bias (B, 1, 1, L)] -> (B, L, H), before dropout and residual.
   */
  static final class Attention extends AbstractBlock {
    private final int heads;
    private final int headSize;
    private final double attentionDropout;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    Attention(int hidden, int heads, double attentionDropout) {
      super((byte) 1);
      this.heads = heads;
      this.headSize = hidden / heads;
      this.attentionDropout = attentionDropout;
      query = addChildBlock("query", bertInit(Linear.builder().setUnits(hidden).build()));
      key = addChildBlock("key", bertInit(Linear.builder().setUnits(hidden).build()));
      value = addChildBlock("value", bertInit(Linear.builder().setUnits(hidden).build()));
      output = addChildBlock("output", bertInit(Linear.builder().setUnits(hidden).build()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
        PairList<String, Object> params) {
      NDArray x = inputs.get(0); // (B, L, H)
      NDArray bias = inputs.size() > 1 ? inputs.get(1) : null;
      long batch = x.getShape().get(0);
      long length = x.getShape().get(1);
      // A tensor owned by the step's manager, not mul(Number): see BertEncoder's attention.
      NDArray scale = x.getManager().create((float) (1.0 / Math.sqrt(headSize)));
      NDArray q = heads(linear(query, ps, x, training), batch, length).mul(scale); // (B,h,L,d)
      NDArray k = heads(linear(key, ps, x, training), batch, length);
      NDArray v = heads(linear(value, ps, x, training), batch, length);
      NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)); // (B, h, L, L)
      if (bias != null) {
        scores = scores.add(bias);
      }
      NDArray probabilities = dropout(scores.softmax(-1), attentionDropout, training);
      NDArray context = probabilities.matMul(v) // (B, h, L, d)
          .transpose(0, 2, 1, 3).reshape(batch, length, (long) heads * headSize); // (B, L, H)
      return new NDList(linear(output, ps, context, training));
    }

    /** (B, L, H) -> (B, h, L, d). */
    private NDArray heads(NDArray x, long batch, long length) {
      return x.reshape(batch, length, heads, headSize).transpose(0, 2, 1, 3);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
        Shape... inputShapes) {
      for (Linear linear : List.of(query, key, value, output)) {
        linear.initialize(manager, dataType, inputShapes[0]);
      }
    }
  }

  /** One post-norm BERT layer: [x (B, L, H), optional bias] -> [x (B, L, H)]. */
  static final class Layer extends AbstractBlock {
    private final ModelSpec.StandardBert spec;
    private final Attention attention;
    private final LayerNorm attentionNorm;
    private final Linear intermediate;
    private final Linear output;
    private final LayerNorm outputNorm;

    Layer(ModelSpec.StandardBert spec) {
      super((byte) 1);
      this.spec = spec;
      attention = addChildBlock("attention",
          new Attention(spec.hidden(), spec.heads(), spec.attentionDropout()));
      attentionNorm = addChildBlock("attention_norm",
          Layers.layerNormChannelsLast(LAYER_NORM_EPSILON));
      intermediate = addChildBlock("intermediate",
          bertInit(Linear.builder().setUnits(spec.intermediate()).build()));
      output = addChildBlock("output", bertInit(Linear.builder().setUnits(spec.hidden()).build()));
      outputNorm = addChildBlock("output_norm", Layers.layerNormChannelsLast(LAYER_NORM_EPSILON));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
        PairList<String, Object> params) {
      NDArray x = inputs.get(0);
      NDArray a = dropout(attention.forward(ps, inputs, training).head(), spec.dropout(),
          training);
      x = attentionNorm.forward(ps, new NDList(x.add(a)), training).head();
      NDArray f = linear(output, ps,
          Activation.gelu(linear(intermediate, ps, x, training)), training); // (B, L, H)
      f = dropout(f, spec.dropout(), training);
      return new NDList(outputNorm.forward(ps, new NDList(x.add(f)), training).head());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
        Shape... inputShapes) {
      Shape features = inputShapes[0]; // (B, L, H)
      attention.initialize(manager, dataType, features);
      attentionNorm.initialize(manager, dataType, features);
      intermediate.initialize(manager, dataType, features);
      output.initialize(manager, dataType,
          new Shape(features.get(0), features.get(1), spec.intermediate()));
      outputNorm.initialize(manager, dataType, features);
    }
  }
}
