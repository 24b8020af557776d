package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.dnalab.tokenize.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embeddings of dnalab's own pretrained encoder ({@link EmbedderFixtures#tinyBertArtifact}): what
 * each pooling computes, checked against the encoder run on one sequence at a time (no padding),
 * in input order although batches are sorted by length.
 */
class EmbedderTest {
  /**
   * Padding changes the shapes of the matrix products (another blocking of the same sums) and
   * the softmax over masked keys adds exp(-1e9) = 0: results agree to float rounding.
   */
  private static final float PADDING_TOLERANCE = 1e-5f;

  @Test
  void meanClsAndNoneAgreeWithTheEncoderRunOneSequenceAtATime(@TempDir Path dir)
      throws Exception {
    Path artifact = EmbedderFixtures.tinyBertArtifact(dir.resolve("artifact"));
    List<String> sequences = EmbedderFixtures.SEQUENCES;
    try (Embedder.Encoder encoder = EmbedderModels.open(artifact.toString(),
        new ArtifactStore(dir.resolve("store")))) {
      assertThat(encoder.layers()).isEqualTo(2);
      assertThat(encoder.hiddenSize()).isEqualTo(16);
      // reference: each sequence alone, all positions real
      List<float[][]> alone = new ArrayList<>();
      Tokenizer tokenizer = encoder.tokenizer();
      for (String sequence : sequences) {
        int[] ids = tokenizer.encode(sequence).ids();
        boolean[] mask = new boolean[ids.length];
        java.util.Arrays.fill(mask, true);
        alone.add(encoder.hiddenStates(new int[][] {ids}, new boolean[][] {mask}, 2)[0]);
      }
      List<int[]> progress = new ArrayList<>();
      Embedder.Embeddings mean = Embedder.embed(encoder, sequences, Embedder.Pooling.MEAN, -1, 4,
          (done, total) -> progress.add(new int[] {done, total}));
      Embedder.Embeddings cls = Embedder.embed(encoder, sequences, Embedder.Pooling.CLS, 2, 4,
          Embedder.Progress.NONE);
      Embedder.Embeddings none = Embedder.embed(encoder, sequences, Embedder.Pooling.NONE, -1, 4,
          Embedder.Progress.NONE);

      assertThat(progress).extracting(p -> p[0]).containsExactly(4, 6);
      assertThat(mean.layer()).isEqualTo(2);
      assertThat(mean.pooled()).hasNumberOfRows(6);
      for (int i = 0; i < sequences.size(); i++) {
        float[][] states = alone.get(i);
        int tokens = states.length;
        // [CLS] + tokens + [SEP]: the special tokens are part of the mean
        assertThat(tokenizer.encode(sequences.get(i)).tokens()).startsWith("[CLS]")
            .endsWith("[SEP]");
        assertThat(mean.lengths()[i]).isEqualTo(tokens);
        for (int c = 0; c < 16; c++) {
          double sum = 0;
          for (float[] position : states) {
            sum += position[c];
          }
          assertThat(mean.pooled()[i][c]).as("mean, sequence %d channel %d", i, c)
              .isCloseTo((float) (sum / tokens), within(PADDING_TOLERANCE));
          assertThat(cls.pooled()[i][c]).isCloseTo(states[0][c], within(PADDING_TOLERANCE));
        }
        assertThat(none.states()[i]).hasNumberOfRows(tokens);
        for (int t = 0; t < tokens; t++) {
          for (int c = 0; c < 16; c++) {
            assertThat(none.states()[i][t][c]).isCloseTo(states[t][c], within(PADDING_TOLERANCE));
          }
        }
      }
      // a sequence's embedding does not depend on its batch-mates
      Embedder.Embeddings oneByOne = Embedder.embed(encoder, sequences, Embedder.Pooling.MEAN,
          -1, 1, Embedder.Progress.NONE);
      for (int i = 0; i < sequences.size(); i++) {
        for (int c = 0; c < 16; c++) {
          assertThat(oneByOne.pooled()[i][c]).isCloseTo(mean.pooled()[i][c],
              within(PADDING_TOLERANCE));
        }
      }
    }
  }

  @Test
  void noneWritesZeroPaddedStatesAndTheTokenCounts(@TempDir Path dir) throws Exception {
    Path artifact = EmbedderFixtures.tinyBertArtifact(dir.resolve("artifact"));
    Embedder.Embeddings none;
    try (Embedder.Encoder encoder = EmbedderModels.open(artifact.toString(),
        new ArtifactStore(dir.resolve("store")))) {
      none = Embedder.embed(encoder, EmbedderFixtures.SEQUENCES, Embedder.Pooling.NONE, -1, 32,
          Embedder.Progress.NONE);
    }
    Path out = dir.resolve("states.npy");
    assertThat(none.writeNpy(out)).containsExactly(out, dir.resolve("states.lengths.npy"));
    int longest = none.maxLength();
    assertThat(longest).isEqualTo(12); // 30 bases = 10 3-mers + [CLS] + [SEP]
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray states = NpyFileTest.read(manager, out);
      NDArray lengths = NpyFileTest.read(manager, dir.resolve("states.lengths.npy"));
      assertThat(states.getShape().getShape()).containsExactly(6, longest, 16);
      assertThat(lengths.toLongArray()).containsExactly(none.lengths());
      float[] flat = states.toFloatArray();
      for (int i = 0; i < 6; i++) {
        for (int t = 0; t < longest; t++) {
          for (int c = 0; c < 16; c++) {
            float value = flat[(i * longest + t) * 16 + c];
            // the same floats written and read back: bit-identical
            assertThat(value).isEqualTo(t < none.lengths()[i] ? none.states()[i][t][c] : 0f);
          }
        }
      }
    }
  }

  @Test
  void anArtifactIsFoundByAUniquePrefixOfItsKey(@TempDir Path dir) throws Exception {
    ArtifactStore store = new ArtifactStore(dir.resolve("store"));
    String key = "abcdef0123456789abcdef0123456789";
    store.put(Stage.Kind.PRETRAIN.artifactKind(), key,
        folder -> EmbedderFixtures.tinyBertArtifact(folder));
    store.put(Stage.Kind.PRETRAIN.artifactKind(), "abcdef0223456789abcdef0123456789",
        folder -> EmbedderFixtures.tinyBertArtifact(folder));
    try (Embedder.Encoder encoder = EmbedderModels.open("abcdef01", store)) {
      assertThat(encoder.hiddenSize()).isEqualTo(16);
    }
    assertThatThrownBy(() -> EmbedderModels.open("abcdef", store))
        .hasMessageContaining("abcdef is the start of 2 pretraining keys");
  }

  @Test
  void refusesALayerItDoesNotHaveAndABadPooling(@TempDir Path dir) throws Exception {
    Path artifact = EmbedderFixtures.tinyBertArtifact(dir.resolve("artifact"));
    try (Embedder.Encoder encoder = EmbedderModels.open(artifact.toString(),
        new ArtifactStore(dir.resolve("store")))) {
      assertThatThrownBy(() -> Embedder.embed(encoder, List.of("ACGT"), Embedder.Pooling.MEAN, 3,
          8, Embedder.Progress.NONE))
          .hasMessageContaining("has 2 layers (0 = embedding output, 2 = last)");
    }
    assertThatThrownBy(() -> Embedder.Pooling.parse("max"))
        .hasMessage("pooling must be mean, cls or none, got \"max\"");
    Files.delete(artifact.resolve(LocalPretrainRunner.MODEL_FILE));
    assertThatThrownBy(() -> EmbedderModels.open(artifact.toString(),
        new ArtifactStore(dir.resolve("store"))))
        .hasMessageContaining("no model.json");
  }
}
