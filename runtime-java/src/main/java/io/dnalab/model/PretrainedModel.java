package io.dnalab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dnalab.checkpoint.CheckpointConfig;
import io.dnalab.checkpoint.ModelLocator;
import io.dnalab.engine.TorchNatives;
import io.dnalab.spec.ModelSpec;
import io.dnalab.tokenize.Tokenizer;

/**
 * A public checkpoint loaded onto a dnalab encoder by {@link PretrainedCheckpoints}: the spec
 * built from its {@code config.json}, its own tokenizer, the encoder with its weights, and what
 * identifies it (the sha256 of its weight files, where it was found). Holds native memory:
 * close it.
 */
public final class PretrainedModel implements AutoCloseable {
  private final ModelSpec spec;
  private final CheckpointConfig config;
  private final Tokenizer tokenizer;
  private final TokenEncoder encoder;
  private final String contentHash;
  private final ModelLocator.Location source;
  private final NDManager manager;
  private final ParameterStore store;

  PretrainedModel(ModelSpec spec, CheckpointConfig config, Tokenizer tokenizer,
      TokenEncoder encoder, String contentHash, ModelLocator.Location source,
      NDManager manager) {
    if (!(encoder instanceof PretrainedEncoder)) {
      throw new IllegalArgumentException(encoder.getClass().getSimpleName()
          + " does not expose its layers");
    }
    this.spec = spec;
    this.config = config;
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.contentHash = contentHash;
    this.source = source;
    this.manager = manager;
    this.store = new ParameterStore(manager, false);
  }

  /** The architecture, read from {@code config.json}. */
  public ModelSpec spec() {
    return spec;
  }

  /** The checkpoint's {@code config.json}, as read. */
  public CheckpointConfig config() {
    return config;
  }

  /** The checkpoint's own tokenizer: its ids are the rows of the embedding. */
  public Tokenizer tokenizer() {
    return tokenizer;
  }

  /** The encoder with the checkpoint's weights: ids (B, L) [+ mask (B, L)] -> (B, L, H). */
  public TokenEncoder encoder() {
    return encoder;
  }

  /**
   * {@code sha256:} + hex of the sha256 over the weight files, each as its file name, a zero
   * byte, then its bytes (one file, or a shard index followed by its shards sorted by name).
   */
  public String contentHash() {
    return contentHash;
  }

  /** Where the checkpoint was found: the folder, and the hub id and commit when named by one. */
  public ModelLocator.Location source() {
    return source;
  }

  /** Transformer layers, N; {@link #hiddenStates} takes a layer from 0 to N. */
  public int layers() {
    return ((PretrainedEncoder) encoder).layerCount();
  }

  public int hiddenSize() {
    return encoder.hiddenSize();
  }

  /**
   * The features of a padded batch after {@code layer} layers (inference mode, no dropout).
   *
   * @param paddedIds (batch, length) token ids of {@link #tokenizer()}, padded to one length
   * @param mask (batch, length), true at real tokens; padding keys are masked in attention
   * @param layer 0 = the embedding output, {@link #layers()} = the encoder's output
   * @return (batch, length, hidden); positions the mask excludes are 0, as DNABERT-2's
   *     unpadded attention leaves them (their values would otherwise be an artefact of padding)
   */
  public float[][][] hiddenStates(int[][] paddedIds, boolean[][] mask, int layer) {
    if (layer < 0 || layer > layers()) {
      throw new IllegalArgumentException("layer " + layer + " does not exist: this model has "
          + "layers 0 (embeddings) to " + layers());
    }
    int batch = paddedIds.length;
    if (batch == 0) {
      return new float[0][][];
    }
    int length = paddedIds[0].length;
    if (mask.length != batch) {
      throw new IllegalArgumentException("mask has " + mask.length + " rows for " + batch
          + " sequences");
    }
    long[] ids = new long[batch * length];
    float[] admitted = new float[batch * length];
    for (int b = 0; b < batch; b++) {
      if (paddedIds[b].length != length || mask[b].length != length) {
        throw new IllegalArgumentException("sequence " + b + " has " + paddedIds[b].length
            + " ids and " + mask[b].length + " mask entries; the batch is padded to " + length);
      }
      for (int t = 0; t < length; t++) {
        ids[b * length + t] = paddedIds[b][t];
        admitted[b * length + t] = mask[b][t] ? 1f : 0f;
      }
    }
    int hidden = hiddenSize();
    float[] values;
    try (NDManager step = manager.newSubManager()) {
      NDArray idArray = step.create(ids, new Shape(batch, length));
      NDArray maskArray = step.create(admitted, new Shape(batch, length));
      values = TorchNatives.withoutGradients(() -> ((PretrainedEncoder) encoder)
          .hiddenState(store, idArray, maskArray, layer).toFloatArray()); // (B, L, H) flat
    }
    float[][][] out = new float[batch][length][hidden];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < length; t++) {
        if (mask[b][t]) {
          System.arraycopy(values, (b * length + t) * hidden, out[b][t], 0, hidden);
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    manager.close();
  }
}
