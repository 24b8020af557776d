package io.dnalab.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.engine.TorchNatives;
import io.dnalab.spec.ModelSpec;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link TransformerEncoder#throughLayers} in DNABERT's and Nucleotide Transformer's encoders. */
class TransformerEncoderTest {
  private static final int VOCAB_SIZE = 20;
  /** Ids 0..19, 0 the padding and 1 the mask token. */
  private static final InputVocabulary VOCAB =
      new InputVocabulary(VOCAB_SIZE, 0, 1, false, identity(VOCAB_SIZE));

  private NDManager manager;
  private ParameterStore store;

  @BeforeEach
  void setUp() {
    DnalabEngine.startDefault();
    DnalabEngine.seed(3);
    manager = NDManager.newBaseManager();
    store = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @ParameterizedTest
  @CsvSource({"standardbert, false", "standardbert, true", "esm, false", "esm, true"})
  void inferenceFreesEachLayersIntermediatesAndComputesWhatTrainingModeComputes(String family,
      boolean padded) {
    // Without autograd each layer's intermediates are freed as it ends (throughLayers): what the
    // caller's manager holds after a forward pass does not grow with depth. Before, every array
    // of every layer stayed to the end of the pass (BertEncoderTest has the same for DNABERT-2).
    int[] depths = {1, 4};
    int[] held = new int[depths.length];
    for (int d = 0; d < depths.length; d++) {
      TransformerEncoder<?> encoder = encoder(family, depths[d]);
      Models.initialize(encoder, manager, 2, 10);
      try (NDManager pass = manager.newSubManager()) {
        NDList inputs = inputs(pass, padded);
        NDArray freed = TorchNatives.withoutGradients(
            () -> encoder.forward(store, inputs, false).head()); // (B, L, H)
        held[d] = pass.getManagedArrays().size();
        assertThat(freed.getManager()).isSameAs(pass);
        assertThat(freed.getShape()).isEqualTo(new Shape(2, 10, 32));
        // with autograd recording (a GradientCollector) every array stays, as backward needs
        float[] recorded;
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
          recorded = encoder.forward(store, inputs, false).head().toFloatArray();
          assertThat(pass.getManagedArrays().size() - held[d]).isGreaterThan(10 * depths[d]);
        }
        // the same ops in the same order: bit-identical
        assertThat(freed.toFloatArray()).containsExactly(recorded);
      }
    }
    assertThat(held[1]).isEqualTo(held[0]);
  }

  /** H 32, 4 heads, feed-forward 64, 32 positions, no dropout. */
  private static TransformerEncoder<?> encoder(String family, int layers) {
    return switch (family) {
      case "standardbert" -> new StandardBertEncoder(new ModelSpec.StandardBert(layers, 32, 4, 64,
          32, 2, 0.0, 0.0, ModelSpec.Pooling.CLS), VOCAB);
      case "esm" -> new EsmEncoder(new ModelSpec.Esm(layers, 32, 4, 64, 32, 1e-12, 0.0, 0.0,
          ModelSpec.Pooling.CLS), VOCAB);
      default -> throw new IllegalArgumentException("no encoder family " + family);
    };
  }

  /** ids (2, 10) of 2..19; padded: with a mask whose second row pads its last 4 positions. */
  private static NDList inputs(NDManager manager, boolean padded) {
    Random random = new Random(21);
    long[] ids = new long[2 * 10];
    float[] mask = new float[ids.length];
    for (int i = 0; i < ids.length; i++) {
      boolean padding = padded && i >= 16;
      ids[i] = padding ? VOCAB.padId() : 2 + random.nextInt(VOCAB_SIZE - 2);
      mask[i] = padding ? 0 : 1;
    }
    NDArray idArray = manager.create(ids, new Shape(2, 10));
    return padded ? new NDList(idArray, manager.create(mask, new Shape(2, 10)))
        : new NDList(idArray);
  }

  private static int[] identity(int size) {
    int[] ids = new int[size];
    for (int i = 0; i < size; i++) {
      ids[i] = i;
    }
    return ids;
  }
}
