package io.dnalab.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a model that pretraining trains and fine-tuning reuses: token ids in, one feature
 * vector per position out. Heads sit on top of it ({@code LanguageModel} for pretraining
 * objectives, a pooled classification head for fine-tuning), so a pretrained checkpoint is exactly
 * this block's parameters.
 *
 * <pre>
 * inputs  : ids  (B, L) int64   token ids of the model's {@link InputVocabulary}
 *           mask (B, L) float32 optional; 1 = real token, 0 = padding. Absent means no padding.
 * outputs : features (B, L, H) float32, H = {@link #hiddenSize()}
 * </pre>
 *
 * <p>Checkpoints: {@link #save(Path)} writes this block's parameters (DJL's
 * {@code saveParameters} format); {@link #load(Path, NDManager)} reads them back into an encoder
 * built from the same spec and vocabulary, which then gives identical outputs (tested).
 */
public abstract class TokenEncoder extends AbstractBlock {
  private final InputVocabulary vocabulary;
  private boolean causal;

  protected TokenEncoder(byte version, InputVocabulary vocabulary) {
    super(version);
    this.vocabulary = vocabulary;
  }

  /** H, the width of each position's feature vector. */
  public abstract int hiddenSize();

  /** The input vocabulary the encoder embeds. */
  public final InputVocabulary vocabulary() {
    return vocabulary;
  }

  /**
   * Whether the encoder can be run causally (position i sees positions ≤ i only), which
   * next-token objectives need. Convolutional encoders with centred kernels cannot.
   */
  public boolean supportsCausal() {
    return false;
  }

  /** Runs causally from now on; only for encoders that {@link #supportsCausal()}. */
  public void setCausal(boolean value) {
    if (value && !supportsCausal()) {
      throw new IllegalStateException(getClass().getSimpleName()
          + " sees both sides of every position and cannot be made causal");
    }
    causal = value;
  }

  public boolean isCausal() {
    return causal;
  }

  /**
   * The token-embedding table (V, H) a language-model head may tie its decoder to, or null when
   * the encoder has none of width H (the convolutional encoders).
   */
  public Parameter tokenEmbedding() {
    return null;
  }

  /** Number of trainable scalars (batch-norm running statistics excluded), once initialised. */
  public long parameterCount() {
    return Layers.countParameters(this);
  }

  /**
   * Gives a layer of a head on top of this encoder the encoder family's initialisation (PyTorch's
   * default for the convolutional models, N(0, 0.02) for BERT).
   */
  <B extends Block> B headLayer(B block, long fanIn) {
    return Layers.torchInit(block, fanIn);
  }

  /** LayerNorm epsilon of heads on top of this encoder (torch's 1e-5; BERT's is 1e-12). */
  float headLayerNormEpsilon() {
    return 1e-5f;
  }

  /** Writes every parameter of this (initialised) encoder to {@code file}. */
  public void save(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (OutputStream out = Files.newOutputStream(file);
        DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out))) {
      saveParameters(data);
    }
  }

  /**
   * Replaces this encoder's parameters with those saved in {@code file}. When the encoder was
   * initialised already, every loaded shape must match (a checkpoint of another size or
   * vocabulary is an error naming the file and the parameter). Parameters that take gradients
   * keep taking them. The arrays are new: load before a {@code ParameterStore} first reads them
   * (a store keeps the arrays it has handed out).
   */
  public void load(Path file, NDManager manager) throws IOException {
    List<Pair<String, Parameter>> parameters = getParameters().stream().toList();
    List<Shape> before = new ArrayList<>();
    for (Pair<String, Parameter> pair : parameters) {
      Parameter parameter = pair.getValue();
      before.add(parameter.isInitialized() ? parameter.getArray().getShape() : null);
    }
    try (InputStream in = Files.newInputStream(file);
        DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
      loadParameters(manager, data);
    } catch (MalformedModelException | RuntimeException e) {
      throw new IOException(file + ": not a checkpoint of this " + getClass().getSimpleName()
          + " (" + e.getMessage() + ")", e);
    }
    for (int i = 0; i < parameters.size(); i++) {
      Parameter parameter = parameters.get(i).getValue();
      NDArray array = parameter.getArray();
      if (before.get(i) != null && !before.get(i).equals(array.getShape())) {
        throw new IOException(file + ": parameter " + parameters.get(i).getKey() + " has shape "
            + array.getShape() + " in the checkpoint but " + before.get(i) + " in this "
            + getClass().getSimpleName() + " (another size or vocabulary?)");
      }
      if (parameter.requiresGradient()) {
        array.setRequiresGradient(true);
      }
    }
  }

  /** The optional padding mask of an input list, as (B, L) float32, or null. */
  protected static NDArray maskOf(NDList inputs) {
    if (inputs.size() < 2 || inputs.get(1) == null) {
      return null;
    }
    NDArray mask = inputs.get(1);
    return mask.getDataType() == DataType.FLOAT32 ? mask : mask.toType(DataType.FLOAT32, false);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    // (B, L) ids [+ (B, L) mask] -> (B, L, H)
    return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), hiddenSize())};
  }
}
