package io.dnalab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dnalab.checkpoint.CheckpointFileException;
import io.dnalab.checkpoint.HubCache;
import io.dnalab.checkpoint.ModelLocator;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.spec.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiny random checkpoints in each public layout, and the hidden states their reference
 * implementation gives on real GUE sequences of mixed lengths, batched with padding
 * ({@code src/test/resources/checkpoints/generate_hidden_states.py}: DNABERT-2 from a plain-PyTorch
 * rewrite of bert_layers.py, DNABERT and NT from {@code transformers}).
 */
class PretrainedCheckpointsTest {
  /**
   * Different float32 computations of the same network (libtorch through DJL here, PyTorch's
   * Python modules there; other kernels and summation orders), states of magnitude up to ~3.
   */
  private static final double TOLERANCE = 1e-4;

  @BeforeAll
  static void engine() {
    DnalabEngine.startDefault();
  }

  static Path resource(String name) {
    try {
      var url = PretrainedCheckpointsTest.class.getResource("/checkpoints/" + name);
      if (url == null) {
        throw new IllegalStateException("missing test resource checkpoints/" + name);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode golden(String layout) throws IOException {
    try (InputStream in = new GZIPInputStream(
        Files.newInputStream(resource("models/" + layout + ".hidden.json.gz")))) {
      return new ObjectMapper().readTree(in);
    }
  }

  /** The golden batch: ids (B, L) and mask (B, L) as the reference padded them. */
  record Batch(int[][] ids, boolean[][] mask) {
    static Batch of(JsonNode golden) {
      JsonNode ids = golden.get("input_ids");
      JsonNode mask = golden.get("attention_mask");
      int batch = ids.size();
      int length = ids.get(0).size();
      int[][] idArray = new int[batch][length];
      boolean[][] maskArray = new boolean[batch][length];
      for (int b = 0; b < batch; b++) {
        for (int t = 0; t < length; t++) {
          idArray[b][t] = ids.get(b).get(t).asInt();
          maskArray[b][t] = mask.get(b).get(t).asInt() == 1;
        }
      }
      return new Batch(idArray, maskArray);
    }

    int realLength(int b) {
      int n = 0;
      for (boolean m : mask[b]) {
        n += m ? 1 : 0;
      }
      return n;
    }
  }

  /** Largest |ours − golden| over every position; padded positions must be 0 in both. */
  static double maxDifference(float[][][] ours, JsonNode golden) {
    double max = 0;
    assertThat(ours.length).isEqualTo(golden.size());
    for (int b = 0; b < ours.length; b++) {
      assertThat(ours[b].length).isEqualTo(golden.get(b).size());
      for (int t = 0; t < ours[b].length; t++) {
        assertThat(ours[b][t].length).isEqualTo(golden.get(b).get(t).size());
        for (int h = 0; h < ours[b][t].length; h++) {
          max = Math.max(max, Math.abs(ours[b][t][h] - golden.get(b).get(t).get(h).asDouble()));
        }
      }
    }
    return max;
  }

  /** sum(h·mask)/sum(mask) per sequence: the mean pooling. (B, L, H) -> (B, H). */
  static float[][] meanPooled(float[][][] states, boolean[][] mask) {
    float[][] out = new float[states.length][];
    for (int b = 0; b < states.length; b++) {
      double[] sum = new double[states[b][0].length];
      int count = 0;
      for (int t = 0; t < states[b].length; t++) {
        if (mask[b][t]) {
          count++;
          for (int h = 0; h < sum.length; h++) {
            sum[h] += states[b][t][h];
          }
        }
      }
      out[b] = new float[sum.length];
      for (int h = 0; h < sum.length; h++) {
        out[b][h] = (float) (sum[h] / count);
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"dnabert2", "dnabert6", "nt_v1"})
  void tokenIdsAndHiddenStatesEqualTheReference(String layout) throws IOException {
    JsonNode golden = golden(layout);
    Batch batch = Batch.of(golden);
    try (PretrainedModel model = PretrainedCheckpoints.load(resource("models/" + layout).toString())) {
      for (int b = 0; b < batch.ids().length; b++) {
        String sequence = golden.get("sequences").get(b).asText();
        int[] expected = java.util.Arrays.copyOf(batch.ids()[b], batch.realLength(b));
        assertThat(model.tokenizer().encode(sequence).ids()).as(layout + " sequence " + b)
            .containsExactly(expected);
      }
      float[][][] last = model.hiddenStates(batch.ids(), batch.mask(), model.layers());
      double lastDifference = maxDifference(last, golden.get("last_hidden_state"));
      System.out.printf("%s: last layer, max |dnalab - reference| = %.3g%n", layout, lastDifference);
      assertThat(lastDifference).as(layout + " last layer").isLessThan(TOLERANCE);
      float[][][] first = model.hiddenStates(batch.ids(), batch.mask(), 1);
      assertThat(maxDifference(first, golden.get("hidden_states_1"))).as(layout + " layer 1")
          .isLessThan(TOLERANCE);
      float[][] mean = meanPooled(last, batch.mask());
      for (int b = 0; b < mean.length; b++) {
        for (int h = 0; h < mean[b].length; h++) {
          assertThat((double) mean[b][h]).as(layout + " mean-pooled [" + b + "][" + h + "]")
              .isCloseTo(golden.get("mean_pooled").get(b).get(h).asDouble(),
                  org.assertj.core.data.Offset.offset(TOLERANCE));
        }
      }
      // A sequence alone gives the states it has in the padded batch: padding keys are masked.
      int shortest = 2; // 70 bases, padded in the batch
      int n = batch.realLength(shortest);
      int[][] alone = {java.util.Arrays.copyOf(batch.ids()[shortest], n)};
      boolean[][] aloneMask = {java.util.Arrays.copyOf(batch.mask()[shortest], n)};
      float[][][] single = model.hiddenStates(alone, aloneMask, model.layers());
      for (int t = 0; t < n; t++) {
        for (int h = 0; h < model.hiddenSize(); h++) {
          assertThat((double) single[0][t][h]).isCloseTo(last[shortest][t][h],
              org.assertj.core.data.Offset.offset(TOLERANCE));
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dnabert2", "dnabert6", "nt_v1"})
  void pytorchModelBinGivesTheSameModelAsSafetensors(String layout, @TempDir Path dir)
      throws IOException {
    Path folder = resource("models/" + layout);
    Path binOnly = Files.createDirectories(dir.resolve(layout));
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (!f.getFileName().toString().equals("model.safetensors")) {
          Files.copy(f, binOnly.resolve(f.getFileName()));
        }
      }
    }
    Batch batch = Batch.of(golden(layout));
    try (PretrainedModel safetensors = PretrainedCheckpoints.load(folder.toString());
        PretrainedModel bin = PretrainedCheckpoints.load(binOnly.toString())) {
      assertThat(bin.spec()).isEqualTo(safetensors.spec());
      assertThat(bin.contentHash()).isNotEqualTo(safetensors.contentHash()).startsWith("sha256:");
      // Same values (both files hold torch's float32), same computation: identical bits.
      assertThat(bin.hiddenStates(batch.ids(), batch.mask(), bin.layers()))
          .isDeepEqualTo(safetensors.hiddenStates(batch.ids(), batch.mask(), safetensors.layers()));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dnabert2", "dnabert6", "nt_v1"})
  void aHubIdResolvesFromTheHuggingFaceCache(String layout, @TempDir Path dir) throws IOException {
    String commit = "0123456789abcdef0123456789abcdef01234567";
    Path repository = dir.resolve("hf/hub/models--zhihan1996--tiny-" + layout);
    Files.createDirectories(repository.resolve("refs"));
    Files.writeString(repository.resolve("refs/main"), commit + "\n");
    Path snapshot = Files.createDirectories(repository.resolve("snapshots").resolve(commit));
    Path folder = resource("models/" + layout);
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, snapshot.resolve(f.getFileName()));
      }
    }
    ModelLocator locator = new ModelLocator(
        HubCache.fromEnvironment(Map.of("HF_HOME", dir.resolve("hf").toString()), dir), dir);
    Batch batch = Batch.of(golden(layout));
    try (PretrainedModel byId = PretrainedCheckpoints.load("zhihan1996/tiny-" + layout, locator);
        PretrainedModel byFolder = PretrainedCheckpoints.load(folder.toString())) {
      assertThat(byId.source().hubId()).isEqualTo("zhihan1996/tiny-" + layout);
      assertThat(byId.source().commit()).isEqualTo(commit);
      assertThat(byId.source().folder()).isEqualTo(snapshot);
      assertThat(byId.contentHash()).isEqualTo(byFolder.contentHash());
      assertThat(byId.hiddenStates(batch.ids(), batch.mask(), byId.layers()))
          .isDeepEqualTo(byFolder.hiddenStates(batch.ids(), batch.mask(), byFolder.layers()));
    }
  }

  @org.junit.jupiter.api.Test
  void dnabert2SpecComesFromConfigJson() {
    try (PretrainedModel model = PretrainedCheckpoints.load(resource("models/dnabert2").toString())) {
      assertThat(model.spec()).isEqualTo(new ModelSpec.Bert(2, 12, 3, 20, 0.1, 0.0, false,
          ModelSpec.Pooling.CLS, true));
      assertThat(model.layers()).isEqualTo(2);
      assertThat(model.hiddenSize()).isEqualTo(12);
      assertThat(model.encoder().vocabulary().size()).isEqualTo(1024);
    }
  }

  @org.junit.jupiter.api.Test
  void aWronglyShapedTensorNamesTheFileAndTheTensor(@TempDir Path dir) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("m"));
    Path source = resource("models/dnabert2");
    for (String name : new String[] {"config.json", "tokenizer.json", "model.safetensors"}) {
      Files.copy(source.resolve(name), folder.resolve(name));
    }
    // A config that says 16 intermediate units where the weights have 20.
    Path config = folder.resolve("config.json");
    Files.writeString(config, Files.readString(config)
        .replace("\"intermediate_size\": 20", "\"intermediate_size\": 16"));
    assertThatThrownBy(() -> PretrainedCheckpoints.load(folder.toString()))
        .isInstanceOf(CheckpointFileException.class)
        .hasMessageContaining(folder.resolve("model.safetensors").toString())
        .hasMessageContaining("tensor bert.encoder.layer.0.mlp.gated_layers.weight has shape "
            + "[40, 12], expected [32, 12]")
        .hasMessageContaining("bert.encoder.layer.1.mlp.wo.weight");
  }
}
