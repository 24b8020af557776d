package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.dnalab.engine.TorchNatives;
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

  /**
   * Runs x (B, L, H) through the first {@code count} layers, each given [x, bias] (just [x] when
   * bias is null); the result is owned by {@code out}. Without autograd (not training and
   * {@link TorchNatives#recordsGradients()} false) each layer runs in its own sub-manager of
   * {@code out} that frees its intermediates, and its input, as it ends. DJL keeps every array an
   * op returns until that array's manager closes, so a forward pass in one manager held the
   * activations of all layers to the end, about 0.5 GB per layer at DNABERT-2's shape and batch
   * 32 × 128 (6.7 GB for 12 layers where eager PyTorch peaks at 1.6 GB): every op then wrote
   * fresh memory, paid in page faults (12 layers, 1 thread: 0.5–1.4 million faults and 1.6–4.8 s
   * of kernel time per pass; 0.3 million and 1.0 s freed per layer). Same ops, same values; with
   * autograd on the arrays must live to the backward pass (a scalar tensor over a Java buffer
   * would be read after its buffer is freed), so training keeps one manager.
   */
  final NDArray throughLayers(ParameterStore ps, NDArray x, NDArray bias, int count,
      boolean training, NDManager out) {
    boolean inference = !training && !TorchNatives.recordsGradients();
    for (int i = 0; i < count; i++) {
      L layer = layers.get(i);
      if (!inference) {
        x = layer.forward(ps, layerInputs(x, bias), training).head();
        continue;
      }
      try (NDManager scope = out.newSubManager()) {
        x.attach(scope);
        NDArray y = layer.forward(ps, layerInputs(x, bias), false).head(); // (B, L, H)
        y.attach(out);
        x = y;
      }
    }
    return x; // (B, L, H)
  }

  private static NDList layerInputs(NDArray x, NDArray bias) {
    return bias == null ? new NDList(x) : new NDList(x, bias);
  }

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
