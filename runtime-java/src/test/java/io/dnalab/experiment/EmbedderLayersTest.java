package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.dnalab.model.BertEncoder;
import io.dnalab.model.InputVocabulary;
import io.dnalab.model.Models;
import io.dnalab.model.TokenEncoder;
import io.dnalab.spec.ModelSpec;
import io.dnalab.tokenize.Tokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --layer N} on dnalab's own pretrained BERT ({@link EmbedderFixtures#tinyBertArtifact},
 * post-LN, 2 layers): every layer 0 … 2 that {@link Embedder#embed} gives equals the same weights
 * run another way. Layer k ≥ 1: the forward of a BERT of k layers holding the artifact's first k
 * layers (the encoder stopped there). Layer 0: the embedding output computed by hand (word row +
 * token-type row 0, then LayerNorm).
 */
class EmbedderLayersTest {
  /**
   * Padding (another blocking of the same sums), and a hand-written LayerNorm against torch's:
   * float rounding only.
   */
  private static final float TOLERANCE = 1e-5f;

  @Test
  void everyLayerOfAnOwnBertEqualsItsWeightsRunAnotherWay(@TempDir Path dir) throws Exception {
    Path artifact = EmbedderFixtures.tinyBertArtifact(dir.resolve("artifact"));
    List<String> sequences = EmbedderFixtures.SEQUENCES;
    ModelSpec.Bert full = EmbedderFixtures.TINY_BERT;
    try (Embedder.Encoder encoder = EmbedderModels.open(artifact.toString(),
        new ArtifactStore(dir.resolve("store")));
        NDManager manager = NDManager.newBaseManager()) {
      Tokenizer tokenizer = encoder.tokenizer();
      InputVocabulary vocabulary = InputVocabulary.of(tokenizer);
      TokenEncoder trained = Models.createEncoder(full, vocabulary);
      Models.initialize(trained, manager, 1, 8);
      trained.load(artifact.resolve(PretrainRunner.ENCODER_FILE), manager);
      Map<String, NDArray> weights = new HashMap<>();
      for (Pair<String, Parameter> pair : trained.getParameters()) {
        weights.put(pair.getKey(), pair.getValue().getArray());
      }
      assertThat(encoder.layers()).isEqualTo(full.layers());
      for (int layer = 0; layer <= full.layers(); layer++) {
        Embedder.Embeddings none = Embedder.embed(encoder, sequences, Embedder.Pooling.NONE,
            layer, 4, Embedder.Progress.NONE);
        assertThat(none.layer()).isEqualTo(layer);
        TokenEncoder stopped = null;
        if (layer > 0) {
          stopped = Models.createEncoder(new ModelSpec.Bert(layer, full.hidden(), full.heads(),
              full.intermediate(), full.dropout(), full.attentionDropout(), full.preNorm(),
              full.pooling(), full.tiedHead()), vocabulary);
          Models.initialize(stopped, manager, 1, 8);
          for (Pair<String, Parameter> pair : stopped.getParameters()) {
            assertThat(weights).as("parameter %s of the %d-layer BERT", pair.getKey(), layer)
                .containsKey(pair.getKey());
            pair.getValue().getArray().set(weights.get(pair.getKey()).toFloatArray());
          }
        }
        for (int i = 0; i < sequences.size(); i++) {
          int[] ids = tokenizer.encode(sequences.get(i)).ids();
          float[][] expected = layer == 0 ? embeddingOutput(ids, weights, full.hidden())
              : forward(stopped, manager, ids, full.hidden());
          float[][] actual = none.states()[i];
          assertThat(actual).as("layer %d, sequence %d", layer, i).hasNumberOfRows(ids.length);
          for (int t = 0; t < ids.length; t++) {
            for (int c = 0; c < full.hidden(); c++) {
              assertThat(actual[t][c]).as("layer %d, sequence %d, position %d, channel %d",
                  layer, i, t, c).isCloseTo(expected[t][c], within(TOLERANCE));
            }
          }
        }
        // the layers differ: a layer that returned another layer's states would fail here
        if (layer > 0) {
          Embedder.Embeddings previous = Embedder.embed(encoder, sequences,
              Embedder.Pooling.MEAN, layer - 1, 4, Embedder.Progress.NONE);
          Embedder.Embeddings this_ = Embedder.embed(encoder, sequences,
              Embedder.Pooling.MEAN, layer, 4, Embedder.Progress.NONE);
          assertThat(maxDifference(previous.pooled(), this_.pooled())).isGreaterThan(1e-2);
        }
      }
    }
  }

  /** One sequence alone, every position real: ids (1, L) → (L, H). */
  private static float[][] forward(TokenEncoder encoder, NDManager manager, int[] ids,
      int hidden) {
    try (NDManager step = manager.newSubManager()) {
      NDArray idArray = step.create(Arrays.stream(ids).asLongStream().toArray(),
          new Shape(1, ids.length));
      NDArray mask = step.ones(new Shape(1, ids.length));
      float[] flat = encoder.forward(new ParameterStore(step, false),
          new NDList(idArray, mask), false).head().toFloatArray(); // (1, L, H)
      float[][] states = new float[ids.length][hidden];
      for (int t = 0; t < ids.length; t++) {
        System.arraycopy(flat, t * hidden, states[t], 0, hidden);
      }
      return states;
    }
  }

  /** BERT's embedding output: LayerNorm(word[id] + tokenType[0]), per position. */
  private static float[][] embeddingOutput(int[] ids, Map<String, NDArray> weights, int hidden) {
    float[] words = weights.get("embedding").toFloatArray(); // (V, H)
    float[] types = weights.get("token_type_embedding").toFloatArray(); // (2, H)
    float[] gamma = weights.get("01embedding_norm_gamma").toFloatArray();
    float[] beta = weights.get("01embedding_norm_beta").toFloatArray();
    float[][] out = new float[ids.length][hidden];
    for (int t = 0; t < ids.length; t++) {
      double[] x = new double[hidden];
      double mean = 0;
      for (int c = 0; c < hidden; c++) {
        x[c] = words[ids[t] * hidden + c] + types[c];
        mean += x[c] / hidden;
      }
      double variance = 0;
      for (int c = 0; c < hidden; c++) {
        variance += (x[c] - mean) * (x[c] - mean) / hidden;
      }
      for (int c = 0; c < hidden; c++) {
        out[t][c] = (float) ((x[c] - mean) / Math.sqrt(variance
            + BertEncoder.LAYER_NORM_EPSILON) * gamma[c] + beta[c]);
      }
    }
    return out;
  }

  private static double maxDifference(float[][] a, float[][] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int c = 0; c < a[i].length; c++) {
        max = Math.max(max, Math.abs(a[i][c] - b[i][c]));
      }
    }
    return max;
  }
}
