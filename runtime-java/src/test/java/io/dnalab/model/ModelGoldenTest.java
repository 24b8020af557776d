package io.dnalab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.spec.ModelSpec;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Golden outputs per model family, tied to its {@link ModelFamily#codeVersion()}: fixed
 * parameters (a function of each parameter's name, independent of the engine's random numbers,
 * so of the CPU or GPU), a fixed batch, inference mode. A change of a family's numerics
 * (initialisation aside) fails here until its code version is bumped and the golden re-recorded,
 * so stored runs made by older code are never reused silently.
 *
 * <p>Outputs of the same float32 computation on another CPU or a GPU differ by rounding only:
 * values of order 1 are compared within {@link #TOLERANCE}.
 */
class ModelGoldenTest {
  private static final double TOLERANCE = 1e-4;
  private static final int BATCH = 2;
  /** At least 50: the CNN baseline's three convolutions and pools need it. */
  private static final int LENGTH = 60;
  /** The second sequence is this long, then padding (masked where the model reads a mask). */
  private static final int SHORT = 45;

  /**
   * What a code version's outputs were when recorded.
   *
   * @param logits the classifier's (B, 2) logits, row-major
   * @param classifierParameters its parameter count
   * @param features five of the encoder's (B, L, H) features, flat indices 0, 1, n/3, n/2, n−1
   *     (empty: no encoder)
   * @param featureChecksum {@link #checksum} of all its features (NaN: no encoder)
   * @param languageModelChecksum {@link #checksum} of the language model's (B, L, V) logits
   */
  record Golden(int codeVersion, float[] logits, long classifierParameters, float[] features,
      double featureChecksum, double languageModelChecksum) {}

  private NDManager manager;
  private ParameterStore store;

  @BeforeEach
  void setUp() {
    DnalabEngine.startDefault();
    DnalabEngine.seed(5); // initialisation is overwritten; seeded anyway for repeatability
    manager = NDManager.newBaseManager();
    store = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @Test
  void convNova() {
    check(ModelSpec.ConvNova.genomicBenchmarks(), new Golden(1,
        new float[] {-0.6137946f, 0.9847448f, -0.8000541f, 0.99868166f}, 378_050,
        new float[] {1.7749814f, 1.002078f, -0.4246895f, -0.17182794f, 0.95429355f},
        1.0744223324351576, 0.7088750391084856));
  }

  @Test
  void cnnBaseline() {
    check(new ModelSpec.CnnBaseline(), new Golden(2,
        new float[] {-0.18393156f, 0.05804385f, -0.19398768f, 0.09901698f}, 18_350,
        new float[0], Double.NaN, Double.NaN));
  }

  @Test
  void unet() {
    check(new ModelSpec.UNet(2, 8), new Golden(1,
        new float[] {-0.08432612f, -0.05479639f, -0.08475913f, -0.053222492f}, 16_746,
        // GELU after batch norm leaves the U-Net's features small (≈ −0.05) with these weights
        new float[] {-0.049868736f, -0.018607013f, -0.04673822f, -0.04801211f, 0f},
        0.03063531741604682, 0.8282946264153968));
  }

  @Test
  void bert() {
    // CLS pinned: the golden checks the family's numerics; the default (AUTO) would resolve to
    // MEAN on these single-nucleotide ids (PoolingRule), a different spec, not different code.
    check(new ModelSpec.Bert(2, 32, 4, 64).withPooling(ModelSpec.Pooling.CLS), new Golden(2,
        // version 2 adds the pooler, 32·32 + 32 = 1,056 parameters; the encoder's inference
        // features are those of version 1 (its changes are dropout placements, training only)
        new float[] {-0.4120104f, -0.1471532f, -0.27664608f, -0.539295f}, 22_626,
        new float[] {-0.64320433f, 0.43422988f, -1.5966909f, 0.16260414f, 1.1497537f},
        0.8427365814616484, 0.7460520125828528));
  }

  @Test
  void aGoldenOffByMoreThanTheToleranceFailsNamingTheFamilyAndWhatToDo() {
    // The ConvNova golden with one logit moved by twice the tolerance.
    Golden shifted = new Golden(1,
        new float[] {-0.6137946f, 0.9847448f + 2e-4f, -0.8000541f, 0.99868166f}, 378_050,
        new float[] {1.7749814f, 1.002078f, -0.4246895f, -0.17182794f, 0.95429355f},
        1.0744223324351576, 0.7088750391084856);
    assertThatThrownBy(() -> check(ModelSpec.ConvNova.genomicBenchmarks(), shifted))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("numerics of convnova changed: bump its codeVersion in the "
            + "registry and update this golden. Outputs now: logits [-0.61");
    Golden older = new Golden(0, shifted.logits(), 0, new float[0], 0, 0);
    assertThatThrownBy(() -> check(ModelSpec.ConvNova.genomicBenchmarks(), older))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("changed from 0");
  }

  private void check(ModelSpec spec, Golden golden) {
    String family = spec.family().jsonTag();
    int version = ModelRegistry.codeVersion(spec);
    assertThat(version).as("the code version of %s changed from %s, under which this golden "
        + "was recorded: record the outputs of %s here", family, golden.codeVersion(), version)
        .isEqualTo(golden.codeVersion());
    Golden actual = run(spec, version);
    String changed = "numerics of " + family + " changed: bump its codeVersion in the registry "
        + "and update this golden. Outputs now: logits " + Arrays.toString(actual.logits())
        + ", parameters " + actual.classifierParameters() + ", features "
        + Arrays.toString(actual.features()) + ", feature checksum "
        + actual.featureChecksum() + ", language-model checksum "
        + actual.languageModelChecksum();
    assertThat(actual.classifierParameters()).as(changed)
        .isEqualTo(golden.classifierParameters());
    assertThat(actual.logits()).as(changed).hasSize(golden.logits().length);
    for (int i = 0; i < golden.logits().length; i++) {
      assertClose(actual.logits()[i], golden.logits()[i], changed);
    }
    assertThat(actual.features()).as(changed).hasSize(golden.features().length);
    for (int i = 0; i < golden.features().length; i++) {
      assertClose(actual.features()[i], golden.features()[i], changed);
    }
    assertClose(actual.featureChecksum(), golden.featureChecksum(), changed);
    assertClose(actual.languageModelChecksum(), golden.languageModelChecksum(), changed);
  }

  private static void assertClose(double actual, double expected, String message) {
    if (Double.isNaN(expected)) {
      assertThat(actual).as(message).isNaN();
    } else {
      assertThat(actual).as(message)
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(TOLERANCE));
    }
  }

  private Golden run(ModelSpec spec, int version) {
    NDArray ids = ids();
    NDArray mask = mask();
    SequenceClassifier classifier = Models.initialize(Models.create(spec, 2, LENGTH), manager,
        BATCH, LENGTH);
    fixParameters(classifier);
    NDList inputs = classifier.usesPaddingMask() ? new NDList(ids, mask) : new NDList(ids);
    float[] logits = classifier.forward(store, inputs, false).head().toFloatArray(); // (B, 2)
    float[] sample = new float[0];
    double features = Double.NaN;
    double languageModel = Double.NaN;
    if (spec.family().hasEncoder()) {
      TokenEncoder encoder = Models.initialize(Models.createEncoder(spec,
          InputVocabulary.NUCLEOTIDE), manager, BATCH, LENGTH);
      fixParameters(encoder);
      float[] all = encoder.forward(store, new NDList(ids, mask), false).head() // (B, L, H)
          .toFloatArray();
      int n = all.length;
      // both rows, the second one's first position and its padding's last
      sample = new float[] {all[0], all[1], all[n / 3], all[n / 2], all[n - 1]};
      features = checksum(all);
      LanguageModel lm = Models.initialize(Models.createLanguageModel(spec,
          InputVocabulary.NUCLEOTIDE), manager, BATCH, LENGTH);
      fixParameters(lm);
      languageModel = checksum(lm.forward(store, new NDList(ids, mask), false).head() // (B,L,V)
          .toFloatArray());
    }
    return new Golden(version, logits, classifier.parameterCount(), sample, features,
        languageModel);
  }

  /** Nucleotide ids A, C, G, T, N = 0..4; the second row is padded after {@link #SHORT}. */
  private NDArray ids() {
    Random random = new Random(17);
    long[] ids = new long[BATCH * LENGTH];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i >= LENGTH + SHORT ? SequenceClassifier.PAD_ID : random.nextInt(5);
    }
    return manager.create(ids, new Shape(BATCH, LENGTH));
  }

  private NDArray mask() {
    float[] mask = new float[BATCH * LENGTH];
    Arrays.fill(mask, 0, LENGTH + SHORT, 1f);
    return manager.create(mask, new Shape(BATCH, LENGTH));
  }

  /**
   * Overwrites every parameter with values drawn from a generator seeded by its name, so the
   * model is the same on every machine: weights uniform in ±√(3/fan-in), i.e. variance 1/fan-in
   * (activations stay of order 1 through the layers; ±1/√fan-in shrank the U-Net's features to
   * 0.05, too close to the tolerance), biases and shifts ±0.1, scales 1 ± 0.1, running variances
   * in [1, 1.5).
   */
  private static void fixParameters(AbstractBlock block) {
    for (Pair<String, Parameter> pair : block.getParameters()) {
      NDArray array = pair.getValue().getArray();
      Shape shape = array.getShape();
      Random random = new Random(pair.getKey().hashCode());
      float[] values = new float[Math.toIntExact(shape.size())];
      long fanIn = shape.dimension() >= 2 ? shape.size() / shape.get(0) : 1;
      for (int i = 0; i < values.length; i++) {
        double u = 2 * random.nextDouble() - 1; // [-1, 1)
        values[i] = (float) switch (pair.getValue().getType()) {
          case WEIGHT -> shape.dimension() >= 2 ? u * Math.sqrt(3.0 / fanIn) : 1 + 0.1 * u;
          case GAMMA -> 1 + 0.1 * u;
          case RUNNING_VAR -> 1 + 0.25 * (u + 1);
          default -> 0.1 * u; // BIAS, BETA, RUNNING_MEAN, OTHER
        };
      }
      array.set(values);
    }
  }

  /**
   * Σ |v_i| · w_i / n with weights w_i = (1 + i mod 7) / 4: of the order of the values (a signed
   * sum of features centred by LayerNorm would cancel to nearly 0, below the tolerance), and
   * changed by a permutation of them, which a plain mean would miss.
   */
  private static double checksum(float[] values) {
    double sum = 0;
    for (int i = 0; i < values.length; i++) {
      sum += Math.abs(values[i]) * (1 + i % 7) / 4.0;
    }
    return sum / values.length;
  }
}
