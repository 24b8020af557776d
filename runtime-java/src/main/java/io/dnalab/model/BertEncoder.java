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

/**
 * A BERT encoder as DNABERT-2 builds it (Zhou et al. 2024, on MosaicBERT: {@code
 * zhihan1996/DNABERT-2-117M, bert_layers.py}): no position table but ALiBi attention biases, so
 * any length works; GEGLU feed-forward; post-norm LayerNorms (eps 1e-12). Written with DJL
 * NDArray ops: DJL's own BERT blocks use BatchNorm and a fixed length.
 *
 * <pre>
 * ids (B, L) ─► word embedding (V, H) + token-type row 0 (2, H) ─► LayerNorm ─► dropout  (B, L, H)
 * attention bias  (B, h, L, L) = −|i − j|·m_head  (ALiBi, symmetric as MosaicBERT)
 *                               + −1e9 where key j is padding (mask 0)
 *                               [+ −1e9 where j > i, causal mode]
 * layer × N (post-norm):
 *   qkv = Linear(H → 3H)(x) ─► q, k, v (B, h, L, H/h)
 *   a   = softmax(q·kᵀ/√(H/h) + bias) ─► attention dropout ─► ·v ─► (B, L, H)
 *         ─► Linear(H → H) ─► dropout
 *   x   = LayerNorm(x + a)
 *   g   = Linear(H → 2I, no bias)(x) = [gate | value]; f = dropout(gelu(gate)·value) (B, L, I)
 *   x   = LayerNorm(x + Linear(I → H)(f))   (wo: no dropout after it)            (B, L, H)
 * pre-norm instead: x = x + a(LN(x)); x = x + f(LN(x)); and a final LayerNorm.
 * </pre>
 *
 * ALiBi slopes m are MosaicBERT's {@code _get_alibi_head_slopes}: for h a power of two,
 * m_i = 2^(−8i/h), i = 1..h; otherwise those of the nearest lower power of two followed by every
 * other slope of the next power. Initialisation as DNABERT-2: weights and embeddings N(0, 0.02),
 * biases 0, LayerNorm 1 / 0.
 *
 * <p>Dropout, as MosaicBERT's {@code bert_layers.py} places it: {@code dropout} (its
 * {@code hidden_dropout_prob}) after the embedding LayerNorm, on the attention output projection
 * ({@code BertSelfOutput}) and ONCE in the feed-forward, on gelu(gate)·value before {@code wo}
 * ({@code BertGatedLinearUnitMLP}: {@code wo(dropout(act(gated)·non_gated))}, then the residual
 * LayerNorm); {@code attentionDropout} ({@code attention_probs_dropout_prob}, DNABERT-2 0.0) on
 * the attention probabilities. Dropout acts only in training.
 *
 * <p>Parameters, DNABERT-2 ({@link ModelSpec.Bert#dnabert2()}: H 768, 12 layers, 12 heads,
 * I 3072, V 4096):
 * <pre>
 * embeddings  4096·768 + 2·768 + LN 2·768                              =   3,148,800
 * per layer   Wqkv 768·2304+2304 = 1,771,776; out 768·768+768 = 590,592; LN 1,536;
 *             gated 768·6144 = 4,718,592; wo 3072·768+768 = 2,360,064; LN 1,536
 *                                                                      =   9,444,096
 * encoder     3,148,800 + 12 · 9,444,096                               = 116,477,952
 * </pre>
 * DNABERT-2's published 117M (117,068,544) is its BertModel: this encoder plus BERT's pooler,
 * Linear(768 → 768) (590,592), which a BERT classifier carries in its head (see
 * {@link BertFamily} and {@link EncoderClassifier}), not here: masked-language-model pretraining
 * never trains it. A tied {@link LanguageModel} adds its transform and decoder bias instead,
 * 590,592 + 1,536 + 4,096 = 596,224 → 117,074,176.
 */
public final class BertEncoder extends TransformerEncoder<BertEncoder.Layer> {
  /** DNABERT-2's {@code layer_norm_eps}. */
  public static final float LAYER_NORM_EPSILON = 1e-12f;
  /** DNABERT-2's {@code initializer_range}. */
  public static final float INIT_STD = 0.02f;
  /** Added to the attention scores of keys a query must not see (exp underflows to 0). */
  private static final float BLOCKED = -1e9f;
  /** DNABERT-2's {@code type_vocab_size}: only row 0 is used, kept so checkpoints match. */
  private static final int TOKEN_TYPES = 2;

  private final ModelSpec.Bert spec;
  private final float[] slopes;
  private final Parameter tokenTypeEmbedding;
  private final LayerNorm embeddingNorm;
  private final LayerNorm finalNorm; // pre-norm only

  public BertEncoder(ModelSpec.Bert spec, InputVocabulary vocabulary) {
    super((byte) 1, vocabulary, spec.hidden(), LAYER_NORM_EPSILON);
    this.spec = spec;
    this.slopes = alibiSlopes(spec.heads());
    addWordEmbedding(Parameter.builder().setName("embedding")
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(vocabulary.size(), spec.hidden()))
        .optInitializer(new NormalInitializer(INIT_STD))
        .build());
    tokenTypeEmbedding = addParameter(Parameter.builder().setName("token_type_embedding")
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(TOKEN_TYPES, spec.hidden()))
        .optInitializer(new NormalInitializer(INIT_STD))
        .build());
    embeddingNorm = addChildBlock("embedding_norm", layerNorm());
    for (int i = 0; i < spec.layers(); i++) {
      layers.add(addChildBlock("layer_" + i, new Layer(spec)));
    }
    finalNorm = spec.preNorm() ? addChildBlock("final_norm", layerNorm()) : null;
  }

  /** MosaicBERT's {@code _get_alibi_head_slopes(n_heads)}. */
  public static float[] alibiSlopes(int heads) {
    int power = Integer.highestOneBit(heads);
    float[] slopes = new float[heads];
    double[] base = powerOfTwoSlopes(power);
    for (int i = 0; i < power; i++) {
      slopes[i] = (float) base[i];
    }
    if (power != heads) {
      double[] extra = powerOfTwoSlopes(2 * power);
      for (int i = 0; i < heads - power; i++) {
        slopes[power + i] = (float) extra[2 * i];
      }
    }
    return slopes;
  }

  private static double[] powerOfTwoSlopes(int heads) {
    double[] slopes = new double[heads];
    for (int i = 0; i < heads; i++) {
      slopes[i] = Math.pow(2, -8.0 * (i + 1) / heads);
    }
    return slopes;
  }

  public ModelSpec.Bert spec() {
    return spec;
  }

  /** Layer {@code index} (0-based), for tests of its sub-blocks. */
  Layer layer(int index) {
    return layers.get(index);
  }

  @Override
  public boolean supportsCausal() {
    return true;
  }

  /**
   * The features after {@code layer} transformer layers (0: the embedding output; all of them:
   * the encoder's output, after the final LayerNorm of pre-norm). ids, mask (B, L) -> (B, L, H).
   */
  @Override
  NDArray throughLayer(ParameterStore ps, NDArray ids, NDArray mask, int layer,
      boolean training) {
    NDArray words = ps.getValue(tokenEmbedding(), ids.getDevice(), training); // (V, H)
    NDArray types = ps.getValue(tokenTypeEmbedding, ids.getDevice(), training); // (2, H)
    NDArray x = Layers.lookup(ids, words).add(types.get(0)); // (B, L, H)
    x = embeddingNorm.forward(ps, new NDList(x), training).head();
    x = dropout(x, training);
    NDArray bias = attentionBias(ids.getManager(), ids.getShape().get(1), mask);
    x = throughLayers(ps, x, bias, layer, training, ids.getManager());
    if (finalNorm != null && layer == layers.size()) {
      x = finalNorm.forward(ps, new NDList(x), training).head();
    }
    return x; // (B, L, H)
  }

  /**
   * ALiBi, causal and key-padding biases added to attention scores:
   * (1, h, L, L) without a mask, (B, h, L, L) with one.
   */
  NDArray attentionBias(NDManager manager, long length, NDArray mask) {
    NDArray positions = manager.arange(0f, (float) length); // (L)
    NDArray distance = positions.expandDims(1).sub(positions.expandDims(0)).abs(); // (L, L)
    NDArray headSlopes = manager.create(slopes).reshape(1, slopes.length, 1, 1); // (1, h, 1, 1)
    NDArray bias = distance.expandDims(0).expandDims(0).mul(headSlopes).neg(); // (1, h, L, L)
    if (isCausal()) {
      // key j after query i: (L, L) with BLOCKED above the diagonal
      NDArray future = positions.expandDims(0).gt(positions.expandDims(1))
          .toType(DataType.FLOAT32, false).mul(BLOCKED);
      bias = bias.add(future);
    }
    if (mask != null) {
      NDArray padding = mask.sub(1f).mul(-BLOCKED) // 0 for real keys, BLOCKED for padding
          .reshape(mask.getShape().get(0), 1, 1, length); // (B, 1, 1, L)
      bias = bias.add(padding);
    }
    return bias;
  }

  private NDArray dropout(NDArray x, boolean training) {
    return training && spec.dropout() > 0
        ? Dropout.dropout(x, (float) spec.dropout(), true).head() : x;
  }

  private static LayerNorm layerNorm() {
    return Layers.layerNormChannelsLast(LAYER_NORM_EPSILON);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape features = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), spec.hidden());
    embeddingNorm.initialize(manager, dataType, features);
    for (Layer layer : layers) {
      layer.initialize(manager, dataType, features);
    }
    if (finalNorm != null) {
      finalNorm.initialize(manager, dataType, features);
    }
  }

  /** One transformer layer: inputs [x (B, L, H), bias (B|1, h, L, L)] -> [x (B, L, H)]. */
  static final class Layer extends AbstractBlock {
    private final ModelSpec.Bert spec;
    private final int heads;
    private final int headSize;
    private final float scale;
    private final Linear qkv;
    private final Linear attentionOutput;
    private final LayerNorm attentionNorm;
    private final Linear gated;
    private final Linear feedForwardOutput;
    private final LayerNorm feedForwardNorm;

    Layer(ModelSpec.Bert spec) {
      super((byte) 1);
      this.spec = spec;
      this.heads = spec.heads();
      this.headSize = spec.hidden() / spec.heads();
      this.scale = (float) (1.0 / Math.sqrt(headSize));
      int h = spec.hidden();
      int inner = spec.intermediate();
      qkv = addChildBlock("qkv", bertInit(Linear.builder().setUnits(3L * h).build()));
      attentionOutput = addChildBlock("attention_output",
          bertInit(Linear.builder().setUnits(h).build()));
      attentionNorm = addChildBlock("attention_norm", layerNorm());
      // MosaicBERT's gated_layers has no bias
      gated = addChildBlock("gated",
          bertInit(Linear.builder().setUnits(2L * inner).optBias(false).build()));
      feedForwardOutput = addChildBlock("feed_forward_output",
          bertInit(Linear.builder().setUnits(h).build()));
      feedForwardNorm = addChildBlock("feed_forward_norm", layerNorm());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
        PairList<String, Object> params) {
      NDArray x = inputs.get(0); // (B, L, H)
      NDArray bias = inputs.get(1);
      if (spec.preNorm()) {
        NDArray normed = attentionNorm.forward(ps, new NDList(x), training).head();
        x = x.add(attention(ps, normed, bias, training));
        normed = feedForwardNorm.forward(ps, new NDList(x), training).head();
        return new NDList(x.add(feedForward(ps, normed, training)));
      }
      x = attentionNorm.forward(ps, new NDList(x.add(attention(ps, x, bias, training))), training)
          .head();
      x = feedForwardNorm.forward(ps, new NDList(x.add(feedForward(ps, x, training))), training)
          .head();
      return new NDList(x);
    }

    /** Multi-head self-attention with the additive bias, output projected and dropped out. */
    private NDArray attention(ParameterStore ps, NDArray x, NDArray bias, boolean training) {
      Shape shape = x.getShape();
      long batch = shape.get(0);
      long length = shape.get(1);
      NDArray projected = linear(qkv, ps, x, training) // (B, L, 3H)
          .reshape(batch, length, 3, heads, headSize)
          .transpose(2, 0, 3, 1, 4); // (3, B, h, L, d)
      NDList split = projected.split(3, 0);
      NDArray q = split.get(0).squeeze(0); // (B, h, L, d)
      NDArray k = split.get(1).squeeze(0);
      NDArray v = split.get(2).squeeze(0);
      // Not q.mul(scale): DJL's NDArray.mul(Number) wraps the number in a tensor over a Java
      // buffer and closes it at once; autograd keeps that tensor for backward, and once the
      // garbage collector frees the buffer the gradient of q reads garbage (seen as NaN and 1e23
      // gradients every ~100 steps). A tensor owned by the step's manager lives through backward.
      NDArray scaleTensor = x.getManager().create(scale);
      NDArray scores = q.mul(scaleTensor).matMul(k.transpose(0, 1, 3, 2)).add(bias); // (B,h,L,L)
      NDArray probabilities = dropout(scores.softmax(-1), spec.attentionDropout(), training);
      NDArray context = probabilities.matMul(v) // (B, h, L, d)
          .transpose(0, 2, 1, 3).reshape(batch, length, (long) heads * headSize); // (B, L, H)
      return dropout(linear(attentionOutput, ps, context, training), spec.dropout(), training);
    }

    /**
     * GEGLU: Linear(H → 2I) = [gate | value], gelu(gate)·value, dropout, Linear(I → H) = wo. No
     * dropout after wo: MosaicBERT's MLP has one, before it.
     */
    NDArray feedForward(ParameterStore ps, NDArray x, boolean training) {
      NDList halves = linear(gated, ps, x, training).split(2, 2); // 2 × (B, L, I)
      NDArray hidden = dropout(Activation.gelu(halves.get(0)).mul(halves.get(1)), spec.dropout(),
          training);
      return linear(feedForwardOutput, ps, hidden, training); // (B, L, H)
    }

    /** {@code wo}, the feed-forward's output Linear(I → H). */
    Linear feedForwardOutput() {
      return feedForwardOutput;
    }

    /**
     * A Linear over (B, L, C) run on the (B·L, C) view: libtorch's C++ linear fuses the bias
     * into the matrix product (addmm) only for 2-D input; for 3-D it adds the bias separately,
     * an extra pass over the output forward and backward. (B, L, C) -> (B, L, C').
     */
    private static NDArray linear(Linear layer, ParameterStore ps, NDArray x, boolean training) {
      Shape shape = x.getShape();
      NDArray flat = x.reshape(shape.get(0) * shape.get(1), shape.get(2));
      NDArray y = layer.forward(ps, new NDList(flat), training).head();
      return y.reshape(shape.get(0), shape.get(1), y.getShape().get(1));
    }

    private static NDArray dropout(NDArray x, double rate, boolean training) {
      return training && rate > 0 ? Dropout.dropout(x, (float) rate, true).head() : x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
      return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType,
        Shape... inputShapes) {
      Shape features = inputShapes[0]; // (B, L, H)
      qkv.initialize(manager, dataType, features);
      attentionOutput.initialize(manager, dataType, features);
      attentionNorm.initialize(manager, dataType, features);
      gated.initialize(manager, dataType, features);
      feedForwardOutput.initialize(manager, dataType,
          new Shape(features.get(0), features.get(1), spec.intermediate()));
      feedForwardNorm.initialize(manager, dataType, features);
    }
  }
}
