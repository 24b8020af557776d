package io.dnalab.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dnalab.checkpoint.ModelLocator;
import io.dnalab.engine.TorchNatives;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.model.InputVocabulary;
import io.dnalab.model.Models;
import io.dnalab.model.PretrainedEncoder;
import io.dnalab.model.PretrainedCheckpoints;
import io.dnalab.model.PretrainedModel;
import io.dnalab.model.TokenEncoder;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.SpecJson;
import io.dnalab.tokenize.HfTokenizerJson;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.Tokenizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Finds the encoder {@code dnalab embed --model NAME} names, in this order:
 *
 * <ol>
 *   <li>a pretraining artifact folder of dnalab's own (it holds {@link PretrainRunner#ENCODER_FILE},
 *       {@link LocalPretrainRunner#MODEL_FILE} and the tokenizer);
 *   <li>the key of such an artifact in the artifact store, or a prefix of it that only one key
 *       starts with (the short keys that plans print);
 *   <li>a public checkpoint: a folder or a hub id in the Hugging Face cache
 *       ({@link ModelLocator}); nothing is downloaded.
 * </ol>
 */
public final class EmbedderModels {
  /** A prefix of a stage key: lower-case hex, long enough to mean one artifact. */
  private static final Pattern KEY_PREFIX = Pattern.compile("^[0-9a-f]{6,128}$");

  private EmbedderModels() {}

  /** Opens the encoder {@code name} names; the caller closes it. */
  public static Embedder.Encoder open(String name, ArtifactStore artifacts) {
    Path folder = asFolder(name);
    if (folder != null && Files.isRegularFile(folder.resolve(PretrainRunner.ENCODER_FILE))) {
      return OwnEncoder.load(name, folder, DnalabEngine.startDefault());
    }
    if (KEY_PREFIX.matcher(name).matches()) {
      String kind = Stage.Kind.PRETRAIN.artifactKind();
      List<String> keys = artifacts.keys(kind).stream().filter(k -> k.startsWith(name)).toList();
      if (keys.size() == 1) {
        return OwnEncoder.load(name, artifacts.location(kind, keys.get(0)),
            DnalabEngine.startDefault());
      }
      if (keys.size() > 1) {
        throw new IllegalArgumentException("model " + name + " is the start of " + keys.size()
            + " pretraining keys in " + artifacts.root() + " (" + String.join(", ", keys)
            + "); give more of the key");
      }
    }
    return new PublicCheckpoint(name, PretrainedCheckpoints.load(name));
  }

  /** A public checkpoint as {@link PretrainedCheckpoints} loads it, every layer readable. */
  private record PublicCheckpoint(String name, PretrainedModel model)
      implements Embedder.Encoder {
    @Override
    public Tokenizer tokenizer() {
      return model.tokenizer();
    }

    @Override
    public int layers() {
      return model.layers();
    }

    @Override
    public int hiddenSize() {
      return model.hiddenSize();
    }

    @Override
    public float[][][] hiddenStates(int[][] paddedIds, boolean[][] mask, int layer) {
      return model.hiddenStates(paddedIds, mask, layer);
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /**
   * The encoder pretrained into {@code artifact} with architecture {@code model} (for artifacts
   * whose model the caller knows, e.g. an experiment's finished pretraining stage).
   */
  public static Embedder.Encoder open(Path artifact, ModelSpec model) {
    return OwnEncoder.load(artifact.toString(), artifact, model, DnalabEngine.startDefault());
  }

  private static Path asFolder(String name) {
    try {
      Path path = Path.of(name);
      return Files.isDirectory(path) ? path : null;
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /**
   * An encoder dnalab pretrained, read from its artifact: the model spec, the trained tokenizer
   * and the parameters. A transformer ({@link PretrainedEncoder}: BERT, standard BERT, ESM) gives
   * every layer, 0 (embedding output) to N; a convolutional encoder its output only.
   */
  static final class OwnEncoder implements Embedder.Encoder {
    private final String name;
    private final ModelSpec spec;
    private final Tokenizer tokenizer;
    private final NDManager manager;
    private final TokenEncoder encoder;

    private OwnEncoder(String name, ModelSpec spec, Tokenizer tokenizer, NDManager manager,
        TokenEncoder encoder) {
      this.name = name;
      this.spec = spec;
      this.tokenizer = tokenizer;
      this.manager = manager;
      this.encoder = encoder;
    }

    static OwnEncoder load(String name, Path artifact, Device device) {
      Path modelFile = artifact.resolve(LocalPretrainRunner.MODEL_FILE);
      if (!Files.isRegularFile(modelFile)) {
        throw new IllegalArgumentException(artifact + ": no " + LocalPretrainRunner.MODEL_FILE
            + " (the artifact was pretrained before dnalab recorded the model spec in it); "
            + "embed it from a notebook, where the experiment's results name the model");
      }
      ModelSpec spec;
      try {
        spec = SpecJson.readModel(Files.readString(modelFile), modelFile.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + modelFile + ": " + e.getMessage(), e);
      }
      return load(name, artifact, spec, device);
    }

    static OwnEncoder load(String name, Path artifact, ModelSpec spec, Device device) {
      Tokenizer tokenizer = HfTokenizerJson.load(artifact.resolve(Tokenizers.TRAINED_FILE));
      NDManager manager = NDManager.newBaseManager(device);
      try {
        TokenEncoder encoder = Models.createEncoder(spec, InputVocabulary.of(tokenizer));
        encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 8));
        encoder.load(artifact.resolve(PretrainRunner.ENCODER_FILE), manager);
        return new OwnEncoder(name, spec, tokenizer, manager, encoder);
      } catch (IOException | RuntimeException e) {
        manager.close();
        if (e instanceof IOException io) {
          throw new UncheckedIOException(io.getMessage(), io);
        }
        throw (RuntimeException) e;
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Tokenizer tokenizer() {
      return tokenizer;
    }

    /**
     * The transformer's layer count (as its spec states it); 1 for the convolutional encoders
     * (their output is the last).
     */
    @Override
    public int layers() {
      return encoder instanceof PretrainedEncoder transformer ? transformer.layerCount() : 1;
    }

    @Override
    public int hiddenSize() {
      return encoder.hiddenSize();
    }

    @Override
    public float[][][] hiddenStates(int[][] paddedIds, boolean[][] mask, int layer) {
      boolean last = layer == layers();
      if (!last && !(encoder instanceof PretrainedEncoder)) {
        throw new IllegalArgumentException("layer " + layer + ": " + name + " is a "
            + spec.id() + " encoder, which gives its last layer only (" + layers()
            + "); leave --layer out");
      }
      int batch = paddedIds.length;
      int length = paddedIds[0].length;
      long[] ids = new long[batch * length];
      float[] maskValues = new float[batch * length];
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < length; t++) {
          ids[b * length + t] = paddedIds[b][t];
          maskValues[b * length + t] = mask[b][t] ? 1f : 0f;
        }
      }
      try (NDManager step = manager.newSubManager()) {
        NDArray idArray = step.create(ids, new Shape(batch, length)); // (B, L) int64
        NDArray maskArray = step.create(maskValues, new Shape(batch, length)); // (B, L)
        // inference: no autograd graph kept for the batch
        ParameterStore store = new ParameterStore(step, false);
        // The last layer through forward, as before (the same numbers); an earlier one through
        // the transformer's own layer loop, stopped after `layer` layers.
        float[] flat = TorchNatives.withoutGradients(() -> (last
            ? encoder.forward(store, new NDList(idArray, maskArray), false).head()
            : ((PretrainedEncoder) encoder).hiddenState(store, idArray, maskArray, layer))
            .toFloatArray()); // (B, L, H) flat
        int hidden = encoder.hiddenSize();
        float[][][] states = new float[batch][length][hidden];
        for (int b = 0; b < batch; b++) {
          for (int t = 0; t < length; t++) {
            System.arraycopy(flat, (b * length + t) * hidden, states[b][t], 0, hidden);
          }
        }
        return states;
      }
    }

    @Override
    public void close() {
      manager.close();
    }
  }
}
