package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.UniformInitializer;
import io.dnalab.data.Dna;

/** Small factories for the layers dnalab models share, initialised as PyTorch initialises them. */
final class Layers {
  private Layers() {}

  /**
   * PyTorch's default for Conv and Linear ({@code kaiming_uniform_(a=√5)} for the weight, and the
   * bias alike): U(−1/√fan_in, 1/√fan_in). DJL's own default (Xavier, zero bias) trains
   * differently; the published recipes were tuned with PyTorch's.
   */
  static <B extends Block> B torchInit(B block, long fanIn) {
    UniformInitializer init = new UniformInitializer((float) (1.0 / Math.sqrt(fanIn)));
    block.setInitializer(init, Parameter.Type.WEIGHT);
    block.setInitializer(init, Parameter.Type.BIAS);
    return block;
  }

  /** Conv1d with "same" padding ((k−1)/2·dilation each side, k odd) over (B, C_in, L). */
  static Conv1d sameConv(int inChannels, int outChannels, int kernel, int dilation) {
    Conv1d conv = Conv1d.builder()
        .setKernelShape(new Shape(kernel))
        .setFilters(outChannels)
        .optDilation(new Shape(dilation))
        .optPadding(new Shape((long) (kernel - 1) / 2 * dilation))
        .build();
    return torchInit(conv, (long) inChannels * kernel);
  }

  /** Conv1d without padding ("valid"), output length L − (k − 1). */
  static Conv1d validConv(int inChannels, int outChannels, int kernel) {
    Conv1d conv = Conv1d.builder().setKernelShape(new Shape(kernel)).setFilters(outChannels)
        .build();
    return torchInit(conv, (long) inChannels * kernel);
  }

  /** Trainable scalars of a block: every parameter but batch-norm running statistics. */
  static long countParameters(Block block) {
    long count = 0;
    for (var pair : block.getParameters()) {
      Parameter p = pair.getValue();
      if (p.getType() != Parameter.Type.RUNNING_MEAN && p.getType() != Parameter.Type.RUNNING_VAR) {
        count += p.getArray().getShape().size();
      }
    }
    return count;
  }

  static Linear linear(long in, long out) {
    return torchInit(Linear.builder().setUnits(out).build(), in);
  }

  /** LayerNorm over the channel axis of (B, L, C), eps 1e-5 as torch.nn.LayerNorm. */
  static LayerNorm layerNormChannelsLast() {
    return layerNormChannelsLast(1e-5f);
  }

  static LayerNorm layerNormChannelsLast(float epsilon) {
    return LayerNorm.builder().axis(2).optEpsilon(epsilon).build();
  }

  /**
   * One-hot rows for A, C, G, T, N (ids 0..4) over 5 channels; PAD (id 5) is all zeros so padding
   * contributes nothing to the first convolution.
   */
  static NDArray oneHotTable(NDManager manager, boolean complement) {
    // Rows beyond N (PAD, MASK, ...) stay zero: no base is present there.
    int rows = InputVocabulary.NUCLEOTIDE.size();
    float[] table = new float[rows * Dna.BASE_IDS];
    for (int id = 0; id < Dna.BASE_IDS; id++) {
      // complement: A<->T, C<->G, N stays N; ConvNova's code does not reverse it.
      int channel = complement ? Dna.complementId(id) : id;
      table[id * Dna.BASE_IDS + channel] = 1f;
    }
    return manager.create(table, new Shape(rows, Dna.BASE_IDS));
  }

  /** Looks up rows of {@code table} (V, C) for ids (B, L): -> (B, L, C). */
  static NDArray lookup(NDArray ids, NDArray table) {
    NDArray longIds = ids.getDataType() == DataType.INT64 ? ids : ids.toType(DataType.INT64, false);
    return longIds.getNDArrayInternal().embedding(longIds, table, SparseFormat.DENSE)
        .singletonOrThrow();
  }
}
