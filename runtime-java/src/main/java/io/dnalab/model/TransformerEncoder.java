package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * What the transformer encoders ({@link BertEncoder}, {@link StandardBertEncoder},
 * {@link EsmEncoder}) share: a stack of layers that the forward pass runs through to the end and
 * {@link #hiddenState} to any depth, and BERT's initialisation for the heads on top. Each subclass
 * registers its own parameters and layers in its constructor (their order is the checkpoint's and
 * the initialisation's, so it stays there) and says how ids become features after a layer.
 *
 * @param <L> the subclass's layer block
 */
abstract class TransformerEncoder<L extends Block> extends TokenEncoder
    implements PretrainedEncoder {
  /** BERT's {@code initializer_range}, also DNABERT-2's and ESM's. */
  static final float INIT_STD = 0.02f;

  /** The transformer layers in order; the subclass's constructor adds each as a child block. */
  protected final List<L> layers = new ArrayList<>();
  private final int hidden;
  private final float headLayerNormEpsilon;
  /** The (V, H) word-embedding table; set by {@link #addWordEmbedding}. */
  private Parameter wordEmbedding;

  /**
   * @param hidden H
   * @param headLayerNormEpsilon the LayerNorm epsilon of heads on top (the encoder's own)
   */
  TransformerEncoder(byte version, InputVocabulary vocabulary, int hidden,
      float headLayerNormEpsilon) {
    super(version, vocabulary);
    this.hidden = hidden;
    this.headLayerNormEpsilon = headLayerNormEpsilon;
  }

  /**
   * Registers the (V, H) word-embedding table, at the point of the subclass's constructor where
   * its parameter order (the checkpoint's and the initialisation's) has it.
   */
  final Parameter addWordEmbedding(Parameter table) {
    wordEmbedding = addParameter(table);
    return wordEmbedding;
  }

  /** BERT's initialisation of a Linear: N(0, 0.02) weights, zero biases. */
  static <B extends Block> B bertInit(B block) {
    block.setInitializer(new NormalInitializer(INIT_STD), Parameter.Type.WEIGHT);
    block.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
    return block;
  }

  /**
   * The features after {@code layer} layers (0: the embedding output; {@link #layerCount()}: the
   * encoder's output). ids, mask (B, L) -> (B, L, H); mask null for no padding.
   */
  abstract NDArray throughLayer(ParameterStore ps, NDArray ids, NDArray mask, int layer,
      boolean training);

  @Override
  public final int hiddenSize() {
    return hidden;
  }

  @Override
  public final Parameter tokenEmbedding() {
    return wordEmbedding;
  }

  @Override
  <B extends Block> B headLayer(B block, long fanIn) {
    return bertInit(block);
  }

  @Override
  final float headLayerNormEpsilon() {
    return headLayerNormEpsilon;
  }

  @Override
  public final int layerCount() {
    return layers.size();
  }

  @Override
  public final NDArray hiddenState(ParameterStore ps, NDArray ids, NDArray mask, int layer) {
    return throughLayer(ps, ids, mask, layer, false);
  }

  @Override
  protected final NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    return new NDList(throughLayer(ps, inputs.get(0), maskOf(inputs), layers.size(), training));
  }
}
