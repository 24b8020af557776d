package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.dnalab.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * A 1-D U-Net (Ronneberger et al. 2015, adapted to sequences) up to its per-position output: a
 * convolutional encoder that halves the length {@code depth} times while doubling the channels, a
 * decoder that doubles it back with transposed convolutions, and a skip connection at every
 * level. {@link UNet1d} pools it for classification. The published comparison (Delcey et al.)
 * gives no exact sizes; depth and width are parameters.
 *
 * <pre>
 * ids (B, L) ─embed─► (B, E, L')          L' = L rounded up to a multiple of 2^depth (pad id)
 * encoder level i = 0..depth−1:  ConvBlock(c_{i−1} → w·2^i) ─► skip_i (B, w·2^i, L'/2^i)
 *                                MaxPool(2)                  ─►        (B, w·2^i, L'/2^(i+1))
 * bottleneck:                    ConvBlock(→ w·2^depth)            (B, w·2^depth, L'/2^depth)
 * decoder level i = depth−1..0:  up: Conv1d(k 1 → 2·w·2^i) + interleave ─► (B, w·2^i, L'/2^i)
 *                                (= a transposed conv, kernel 2, stride 2, bias per phase)
 *                                concat skip_i ─► (B, w·2^(i+1), L'/2^i) ─► ConvBlock(→ w·2^i)
 * output: the first L positions, channels last                        (B, L, w)
 * ConvBlock = 2 × [Conv1d(k 5, same) → BatchNorm → GELU], then padded positions set to 0.
 * </pre>
 *
 * Input: one-hot (E = 5, PAD all zeros) for the single-nucleotide vocabulary; for any other
 * vocabulary a learned table (V, E) with E = w (the width), N(0, 1), pad rows zeroed.
 *
 * <p>Padding: features at padded positions are zeroed after every block (the mask is max-pooled
 * down the encoder), so at inference a sequence's features do not depend on padding around it.
 * In training, batch-norm statistics do include those zeros (a small effect on mixed-length
 * batches, none on equal-length ones). Centred kernels: not causal.
 */
public final class UNet1dEncoder extends TokenEncoder {
  /** Kernel of every same-padded convolution. */
  public static final int KERNEL = 5;

  private final ModelSpec.UNet spec;
  private final InputEmbedding embedding;
  private final List<SequentialBlock> encoder = new ArrayList<>();
  private final SequentialBlock bottleneck;
  private final List<Conv1d> upsamplers = new ArrayList<>();
  private final List<SequentialBlock> decoder = new ArrayList<>();

  public UNet1dEncoder(ModelSpec.UNet spec, InputVocabulary vocabulary) {
    super((byte) 1, vocabulary);
    this.spec = spec;
    embedding = addChildBlock("embedding", new InputEmbedding(vocabulary, spec.width()));
    int inChannels = embedding.channels();
    for (int level = 0; level < spec.depth(); level++) {
      int channels = channels(level);
      encoder.add(addChildBlock("encoder_" + level, convBlock(inChannels, channels)));
      inChannels = channels;
    }
    bottleneck = addChildBlock("bottleneck", convBlock(inChannels, channels(spec.depth())));
    for (int level = spec.depth() - 1; level >= 0; level--) {
      int channels = channels(level);
      // A transposed convolution (kernel 2, stride 2) as a 1×1 convolution to 2·C channels plus
      // an interleave (see upsample): DJL's PyTorch engine does not implement deconvolution.
      upsamplers.add(addChildBlock("up_" + level,
          Layers.sameConv(channels(level + 1), 2 * channels, 1, 1)));
      decoder.add(addChildBlock("decoder_" + level, convBlock(2 * channels, channels)));
    }
  }

  private int channels(int level) {
    return spec.width() << level;
  }

  private static SequentialBlock convBlock(int in, int out) {
    return new SequentialBlock()
        .add(Layers.sameConv(in, out, KERNEL, 1))
        .add(BatchNorm.builder().optAxis(1).build())
        .add(Activation::gelu)
        .add(Layers.sameConv(out, out, KERNEL, 1))
        .add(BatchNorm.builder().optAxis(1).build())
        .add(Activation::gelu);
  }

  public ModelSpec.UNet spec() {
    return spec;
  }

  @Override
  public int hiddenSize() {
    return spec.width();
  }

  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
      PairList<String, Object> params) {
    NDArray ids = inputs.get(0); // (B, L)
    NDArray mask = maskOf(inputs);
    NDManager manager = ids.getManager();
    long length = ids.getShape().get(1);
    long multiple = 1L << spec.depth();
    long padded = (length + multiple - 1) / multiple * multiple;
    if (padded != length) {
      // Round L up so every pooling halves exactly: (B, L) -> (B, L').
      long batch = ids.getShape().get(0);
      NDArray padIds = manager.full(new Shape(batch, padded - length), vocabulary().padId(),
          ids.getDataType());
      ids = ids.concat(padIds, 1);
      NDArray realMask = mask == null ? manager.ones(new Shape(batch, length)) : mask;
      mask = realMask.concat(manager.zeros(new Shape(batch, padded - length)), 1);
    }
    NDArray x = embedding.embed(ps, ids, training, false).transpose(0, 2, 1); // (B, E, L')
    NDArray levelMask = mask == null ? null : mask.expandDims(1); // (B, 1, L')
    List<NDArray> skips = new ArrayList<>();
    List<NDArray> masks = new ArrayList<>();
    for (SequentialBlock block : encoder) {
      x = masked(block.forward(ps, new NDList(x), training).head(), levelMask);
      skips.add(x);
      masks.add(levelMask);
      x = x.getNDArrayInternal().maxPool(new Shape(2), new Shape(2), new Shape(0), false);
      levelMask = levelMask == null ? null
          : levelMask.getNDArrayInternal().maxPool(new Shape(2), new Shape(2), new Shape(0), false);
    }
    x = masked(bottleneck.forward(ps, new NDList(x), training).head(), levelMask);
    for (int j = 0; j < decoder.size(); j++) {
      int level = spec.depth() - 1 - j;
      x = upsample(upsamplers.get(j).forward(ps, new NDList(x), training).head());
      levelMask = masks.get(level);
      x = masked(x, levelMask);
      x = NDArrays.concat(new NDList(x, skips.get(level)), 1);
      x = masked(decoder.get(j).forward(ps, new NDList(x), training).head(), levelMask);
    }
    NDArray positions = x.transpose(0, 2, 1); // (B, L', w)
    if (padded != length) {
      positions = positions.get(new NDIndex(":, :{}, :", length)); // (B, L, w)
    }
    return new NDList(positions);
  }

  /**
   * (B, 2·C, L) -> (B, C, 2L): channel 2c + j becomes position 2l + j of channel c, which is what
   * a transposed convolution with kernel 2 and stride 2 computes (with a bias per phase j).
   */
  private static NDArray upsample(NDArray z) {
    Shape shape = z.getShape();
    long batch = shape.get(0);
    long channels = shape.get(1) / 2;
    long length = shape.get(2);
    return z.reshape(batch, channels, 2, length) // (B, C, 2, L)
        .transpose(0, 1, 3, 2) // (B, C, L, 2)
        .reshape(batch, channels, 2 * length); // (B, C, 2L)
  }

  private static NDArray masked(NDArray x, NDArray mask) {
    return mask == null ? x : x.mul(mask);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    long batch = inputShapes[0].get(0);
    long multiple = 1L << spec.depth();
    long length = (inputShapes[0].get(1) + multiple - 1) / multiple * multiple;
    embedding.initialize(manager, dataType, inputShapes[0]);
    int inChannels = embedding.channels();
    long levelLength = length;
    for (int level = 0; level < spec.depth(); level++) {
      encoder.get(level).initialize(manager, dataType, new Shape(batch, inChannels, levelLength));
      inChannels = channels(level);
      levelLength /= 2;
    }
    bottleneck.initialize(manager, dataType, new Shape(batch, inChannels, levelLength));
    for (int j = 0; j < decoder.size(); j++) {
      int level = spec.depth() - 1 - j;
      upsamplers.get(j).initialize(manager, dataType,
          new Shape(batch, channels(level + 1), levelLength));
      levelLength *= 2;
      decoder.get(j).initialize(manager, dataType,
          new Shape(batch, 2L * channels(level), levelLength));
    }
  }
}
