package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The Genomic Benchmarks CNN baseline (Grešová et al. 2023,
 * {@code genomic_benchmarks/models/torch.py}, class {@code CNN}), the reference point papers quote.
 *
 * <pre>
 * ids (B, L) ─pad with PAD to inputLength─► (B, L0)
 * Embedding(V = 6, 100)                      (B, L0, 100) ─T─► (B, 100, L0)
 * stage 1: Conv1d(100→16, k 8, no padding) → BatchNorm → ReLU → MaxPool(2)   (B, 16, L1)
 * stage 2: Conv1d(16→8,  k 8)              → BatchNorm        → MaxPool(2)   (B,  8, L2)
 * stage 3: Conv1d(8→4,   k 8)              → BatchNorm        → MaxPool(2)   (B,  4, L3)
 * flatten (B, 4·L3) → Linear(512) → Linear(K)   (no activation between, as the reference)
 * with L_{i+1} = floor((L_i − 7) / 2)
 * </pre>
 *
 * ReLU follows the first stage only, as in the reference: its {@code conv_layers} is
 * {@code Conv1d, BatchNorm1d, ReLU, MaxPool1d, Conv1d, BatchNorm1d, MaxPool1d, Conv1d,
 * BatchNorm1d, MaxPool1d} (with max-pool the only nonlinearity between stages 2 and 3).
 *
 * The dense layer's size depends on the input length, so the model is built for one
 * {@code inputLength} (the task's longest sequence); shorter sequences are padded with the PAD
 * embedding, as the reference pads with its padding token, and the padding mask is not used.
 *
 * <p>Deliberate deviation, the loss: the reference's binary head is {@code Linear(512, 1)} followed
 * by a sigmoid, trained with {@code BCEWithLogitsLoss}, which applies a second sigmoid (a double
 * sigmoid: the loss sees sigmoid(sigmoid(z)), whose gradient vanishes as the first sigmoid
 * saturates and whose loss cannot go below ln(1 + e^−1) ≈ 0.31 for a correct example). Here the
 * output is K logits with softmax cross-entropy for every task, binary or not, like every other
 * dnalab family, so the CNN is compared on the same loss and metrics code (513 parameters more
 * than the reference for K = 2).
 *
 * <p>Parameters: 100·6 + (100·16·8+16) + 32 + (16·8·8+8) + 16 + (8·4·8+4) + 8 + (4·L3·512 + 512)
 * + (512·K + K) = 15,276 + 2,048·L3 + 513·K. At input length 70 (GUE prom_core) L3 = 2 → 20,398;
 * at 101 (GUE tf) L3 = 6 → 28,590; the ≈264k usually quoted corresponds to L3 = 121, i.e. input
 * lengths 1,017–1,024 (264,110 with K = 2).
 */
public final class CnnBaseline extends SequenceClassifier {
  public static final int EMBEDDING_DIM = 100;
  public static final int KERNEL = 8;
  private static final int[] FILTERS = {16, 8, 4};

  private final int inputLength;
  private final Parameter embedding;
  private final SequentialBlock features;
  private final Linear dense;
  private final Linear output;

  public CnnBaseline(int inputLength, int numClasses) {
    super((byte) 1, numClasses);
    if (flattenedLength(inputLength) < 1) {
      throw new IllegalArgumentException("the CNN baseline needs sequences of at least 50 tokens "
          + "(three k-8 convolutions and pools), got input length " + inputLength);
    }
    this.inputLength = inputLength;
    embedding = addParameter(Parameter.builder().setName("embedding")
        .setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(NUCLEOTIDE_VOCAB, EMBEDDING_DIM))
        .optInitializer(new NormalInitializer(1f)) // torch.nn.Embedding draws N(0, 1)
        .build());
    features = new SequentialBlock();
    int in = EMBEDDING_DIM;
    for (int stage = 0; stage < FILTERS.length; stage++) {
      int filters = FILTERS[stage];
      features.add(Layers.validConv(in, filters, KERNEL))
          .add(BatchNorm.builder().optAxis(1).build());
      if (stage == 0) { // the first stage only, as the reference
        features.add(Activation::relu);
      }
      features.add(x -> new NDList(x.singletonOrThrow().getNDArrayInternal()
          .maxPool(new Shape(2), new Shape(2), new Shape(0), false)));
      in = filters;
    }
    addChildBlock("features", features);
    long flattened = (long) FILTERS[2] * flattenedLength(inputLength);
    dense = addChildBlock("dense", Layers.linear(flattened, 512));
    output = addChildBlock("output", Layers.linear(512, numClasses));
  }

  /** L3 of the class comment: length after the three conv + pool stages. */
  static long flattenedLength(long length) {
    for (int stage = 0; stage < FILTERS.length; stage++) {
      length = Math.floorDiv(length - (KERNEL - 1), 2);
      if (length < 1) {
        return 0;
      }
    }
    return length;
  }

  public int inputLength() {
    return inputLength;
  }

  @Override
  public boolean usesPaddingMask() {
    return false;
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.get(0); // (B, L)
    long batch = ids.getShape().get(0);
    long length = ids.getShape().get(1);
    if (length > inputLength) {
      throw new IllegalArgumentException("the CNN baseline was built for sequences of at most "
          + inputLength + " tokens, got a batch of length " + length);
    }
    if (length < inputLength) {
      ids = ids.concat(ids.getManager().full(new Shape(batch, inputLength - length), PAD_ID,
          ids.getDataType()), 1); // (B, L0)
    }
    NDArray table = ps.getValue(embedding, ids.getDevice(), training);
    NDArray x = Layers.lookup(ids, table).transpose(0, 2, 1); // (B, 100, L0)
    x = features.forward(ps, new NDList(x), training).head(); // (B, 4, L3)
    x = x.reshape(batch, -1); // (B, 4·L3)
    x = dense.forward(ps, new NDList(x), training).head(); // (B, 512)
    return output.forward(ps, new NDList(x), training); // (B, K)
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    features.initialize(manager, dataType, new Shape(batch, EMBEDDING_DIM, inputLength));
    long flattened = (long) FILTERS[2] * flattenedLength(inputLength);
    dense.initialize(manager, dataType, new Shape(batch, flattened));
    output.initialize(manager, dataType, new Shape(batch, 512));
  }
}
