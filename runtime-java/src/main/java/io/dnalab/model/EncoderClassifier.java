package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
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
 * [Head.bertPooler: ─► tanh(Linear(H → H)) ─► dropout         (B, H)]
 * ─► Linear(H → K)                                           (B, K)
 * </pre>
 *
 * The {@link Head#bertPooler BERT head} is DNABERT-2's {@code BertForSequenceClassification}
 * (MosaicBERT {@code bert_layers.py}): {@code BertPooler} (dense + tanh on the pooled vector),
 * {@code dropout(classifier_dropout or hidden_dropout_prob)}, {@code classifier} Linear. The
 * pooler belongs to the head, not the encoder: masked-language-model pretraining does not train
 * it, so it starts from initialisation at fine-tuning, pretrained encoder or not.
 *
 * With {@link #freezeEncoder(boolean) a frozen encoder} (a probe), the encoder's parameters take
 * no gradient and the encoder runs as at inference (no dropout, batch norm on its running
 * statistics), so its parameters stay bit-identical however long the head trains.
 */
public class EncoderClassifier extends SequenceClassifier {
  /**
   * What lies between the pooled vector and the output layer.
   *
   * @param pooler whether BERT's pooler, tanh(Linear(H → H)), transforms the pooled vector
   * @param dropout dropout on the vector the output layer reads (training only)
   */
  public record Head(boolean pooler, double dropout) {
    /** Pooled vector straight into the output layer (the convolutional families). */
    public static final Head LINEAR = new Head(false, 0);

    public Head {
      if (!(dropout >= 0 && dropout < 1)) {
        throw new IllegalArgumentException("head dropout must be in [0, 1), got " + dropout);
      }
    }

    /** DNABERT-2's: pooler, then dropout {@code dropout}. */
    public static Head bertPooler(double dropout) {
      return new Head(true, dropout);
    }
  }

  private final TokenEncoder encoder;
  private final ModelSpec.Pooling pooling;
  private final Head head;
  private final Linear pooler; // null without Head.pooler
  private final Linear output;
  private boolean encoderFrozen;

  public EncoderClassifier(TokenEncoder encoder, int numClasses, ModelSpec.Pooling pooling) {
    this(encoder, numClasses, pooling, Head.LINEAR);
  }

  public EncoderClassifier(TokenEncoder encoder, int numClasses, ModelSpec.Pooling pooling,
      Head head) {
    super((byte) 1, numClasses);
    this.encoder = addChildBlock("encoder", encoder);
    if (pooling == ModelSpec.Pooling.AUTO) {
      throw new IllegalArgumentException("pooling AUTO must be resolved (PoolingRule) before a"
          + " classifier is built");
    }
    this.pooling = pooling;
    this.head = head;
    // Added only when used: child names carry their position, and the other families' parameter
    // names (and so their goldens and stored checkpoints) stay as they were.
    this.pooler = head.pooler() ? addChildBlock("pooler", encoder.headLayer(
        Linear.builder().setUnits(encoder.hiddenSize()).build(), encoder.hiddenSize())) : null;
    this.output = addChildBlock("output",
        encoder.headLayer(Linear.builder().setUnits(numClasses).build(), encoder.hiddenSize()));
  }

  public TokenEncoder encoder() {
    return encoder;
  }

  public ModelSpec.Pooling pooling() {
    return pooling;
  }

  public Head head() {
    return head;
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
      case AUTO -> throw new IllegalStateException("pooling AUTO reached a classifier;"
          + " PoolingRule resolves it first");
    };
    if (pooler != null) {
      pooled = pooler.forward(ps, new NDList(pooled), training).head().tanh(); // (B, H)
    }
    if (training && head.dropout() > 0) {
      pooled = Dropout.dropout(pooled, (float) head.dropout(), true).head(); // (B, H)
    }
    return output.forward(ps, new NDList(pooled), training); // (B, K)
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    encoder.initialize(manager, dataType, inputShapes);
    Shape pooled = new Shape(inputShapes[0].get(0), encoder.hiddenSize()); // (B, H)
    if (pooler != null) {
      pooler.initialize(manager, dataType, pooled);
    }
    output.initialize(manager, dataType, pooled);
  }
}
