package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.dnalab.spec.ModelSpec;

/**
 * A {@link TokenEncoder} with a classification head: the model fine-tuning trains, from random
 * initialisation or from a pretrained encoder.
 *
 * <pre>
 * ids (B, L) [+ mask (B, L)] ─► encoder ─► (B, L, H)
 *   pooling MEAN: mean over real (mask = 1) positions        (B, H)
 *   pooling CLS : the first position (the [CLS] token)       (B, H)
 * ─► Linear(H → K)                                           (B, K)
 * </pre>
 *
 * With {@link #freezeEncoder(boolean) a frozen encoder} (a probe), the encoder's parameters take
 * no gradient and the encoder runs as at inference (no dropout, batch norm on its running
 * statistics), so its parameters stay bit-identical however long the head trains.
 */
public class EncoderClassifier extends SequenceClassifier {
  private final TokenEncoder encoder;
  private final ModelSpec.Pooling pooling;
  private final Linear output;
  private boolean encoderFrozen;

  public EncoderClassifier(TokenEncoder encoder, int numClasses, ModelSpec.Pooling pooling) {
    super((byte) 1, numClasses);
    this.encoder = addChildBlock("encoder", encoder);
    this.pooling = pooling;
    this.output = addChildBlock("output",
        encoder.headLayer(Linear.builder().setUnits(numClasses).build(), encoder.hiddenSize()));
  }

  public TokenEncoder encoder() {
    return encoder;
  }

  public ModelSpec.Pooling pooling() {
    return pooling;
  }

  /** Freezes (or thaws) the encoder's parameters; see the class comment. */
  public void freezeEncoder(boolean frozen) {
    encoder.freezeParameters(frozen);
    encoderFrozen = frozen;
  }

  public boolean isEncoderFrozen() {
    return encoderFrozen;
  }

  @Override
  public boolean usesPaddingMask() {
    return true;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray mask = maskOf(inputs); // (B, L) or null
    NDArray features = encoder.forward(ps, inputs, training && !encoderFrozen).head(); // (B,L,H)
    NDArray pooled = switch (pooling) {
      case MEAN -> meanOverPositions(features, mask); // (B, H)
      case CLS -> features.get(new NDIndex(":, 0, :")); // (B, H)
    };
    return output.forward(ps, new NDList(pooled), training); // (B, K)
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    output.initialize(manager, dataType, new Shape(inputShapes[0].get(0), encoder.hiddenSize()));
  }
}
