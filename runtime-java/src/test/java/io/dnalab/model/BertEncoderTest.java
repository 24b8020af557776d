package io.dnalab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.engine.TorchNatives;
import io.dnalab.spec.ModelSpec;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BertEncoderTest {
  private static final InputVocabulary VOCAB = new InputVocabulary(20, 0, 1, false, identity(20));
  private static final ModelSpec.Bert SMALL = new ModelSpec.Bert(2, 32, 4, 64);

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

  @Test
  void dnabert2ConfigurationHasDnabert2sPublishedParameterCount() {
    // Breakdown in BertEncoder's class comment: encoder 3,148,800 + 12 · 9,444,096 = 116,477,952;
    // the classifier head's BERT pooler, Linear(768 → 768), adds 590,592: 117,068,544, DNABERT-2's
    // published BertModel. The output layer, Linear(768 → 2), adds 768·2 + 2 = 1,538 more.
    InputVocabulary bpe4096 = new InputVocabulary(4096, 3, 4, false, identity(4096));
    try (NDManager big = NDManager.newBaseManager()) {
      EncoderClassifier classifier = (EncoderClassifier) Models.initialize(
          Models.create(ModelSpec.Bert.dnabert2(), 2, 4, bpe4096), big, 1, 4);
      assertThat(classifier.encoder().parameterCount()).isEqualTo(116_477_952L);
      assertThat(Layers.countParameters(child(classifier, "pooler"))).isEqualTo(590_592L);
      assertThat(classifier.parameterCount() - (768L * 2 + 2)).isEqualTo(117_068_544L);
      // The language model has the encoder and its own head, no pooler.
      LanguageModel lm = Models.initialize(new LanguageModel(
          new BertEncoder(ModelSpec.Bert.dnabert2(), bpe4096), true), big, 1, 4);
      assertThat(lm.parameterCount()).isEqualTo(117_074_176L);
      assertThat(lm.getParameters().keys()).noneMatch(name -> name.contains("pooler"));
    }
  }

  @Test
  void classifierHeadIsBertsPoolerThenDropoutThenLinearAsDnabert2() {
    EncoderClassifier classifier = (EncoderClassifier) Models.initialize(
        Models.create(SMALL, 3, 10, VOCAB), manager, 2, 10);
    assertThat(classifier.head()).isEqualTo(EncoderClassifier.Head.bertPooler(0.1));
    NDArray ids = ids(2, 10, 11);
    float[] logits = classifier.forward(store, new NDList(ids), false).head().toFloatArray();
    // By hand: output(tanh(pooler([CLS] features))); DJL's Linear is x·Wᵀ + b.
    NDArray cls = classifier.encoder().forward(store, new NDList(ids), false).head()
        .get(":, 0, :"); // (2, 32)
    Block pooler = child(classifier, "pooler");
    Block output = child(classifier, "output");
    NDArray pooled = cls.matMul(weight(pooler).transpose()).add(bias(pooler)).tanh(); // (2, 32)
    NDArray expected = pooled.matMul(weight(output).transpose()).add(bias(output)); // (2, 3)
    assertClose(logits, expected.toFloatArray(), "pooler head by hand");
    // Without the pooler the logits are another function of the features.
    NDArray withoutPooler = cls.matMul(weight(output).transpose()).add(bias(output));
    assertThat(maxDifference(logits, withoutPooler.toFloatArray())).isGreaterThan(1e-3f);
  }

  @Test
  void headDropoutActsInTrainingEvenOnAFrozenEncoder() {
    // A frozen encoder runs as at inference, so in training only the head's dropout can move the
    // logits: at 0.3 it does, at 0 training and inference are the same computation.
    for (double rate : new double[] {0.3, 0.0}) {
      EncoderClassifier classifier = (EncoderClassifier) Models.initialize(
          Models.create(SMALL.withDropout(rate), 2, 12, VOCAB), manager, 2, 12);
      classifier.freezeEncoder(true);
      NDArray ids = ids(2, 12, 12);
      float[] inference = classifier.forward(store, new NDList(ids), false).head().toFloatArray();
      float[] training = classifier.forward(store, new NDList(ids), true).head().toFloatArray();
      if (rate > 0) {
        assertThat(maxDifference(training, inference)).as("rate %s", rate).isGreaterThan(1e-3f);
      } else {
        assertThat(training).containsExactly(inference);
      }
    }
  }

  @Test
  void feedForwardDropsOutOnceBeforeWo() {
    BertEncoder encoder = init(SMALL.withDropout(0.5), 2, 12);
    BertEncoder.Layer layer = encoder.layer(0);
    NDArray x = manager.randomNormal(new Shape(2, 12, 32)); // (B, L, H)
    float[] inference = layer.feedForward(store, x, false).toFloatArray();
    assertThat(maxDifference(layer.feedForward(store, x, true).toFloatArray(), inference))
        .as("a dropout acts inside the feed-forward").isGreaterThan(1e-3f);
    // wo with zero weights computes 0·f + b: b at every position whatever dropout did to f before
    // wo. A dropout after wo (as before BERT code version 2) would zero about half of these and double the rest.
    Linear wo = layer.feedForwardOutput();
    wo.getParameters().get("weight").getArray().set(new float[32 * 64]);
    float[] b = new float[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = 0.5f + i;
    }
    wo.getParameters().get("bias").getArray().set(b);
    float[] out = layer.feedForward(store, x, true).toFloatArray(); // (2, 12, 32)
    for (int i = 0; i < out.length; i++) {
      assertThat(out[i]).as("element %d", i).isEqualTo(b[i % 32]);
    }
  }

  @Test
  void attentionProbabilityDropoutIsItsOwnParameterDefaultingToDnabert2sZero() {
    assertThat(ModelSpec.Bert.dnabert2().attentionDropout()).isEqualTo(0.0);
    assertThat(ModelSpec.Bert.dnabert2().dropout()).isEqualTo(0.1);
    NDArray x = ids(2, 12, 13);
    // Hidden dropout 0: the attention dropout alone moves training away from inference.
    BertEncoder attentionOnly = init(SMALL.withDropout(0).withAttentionDropout(0.5), 2, 12);
    float[] inference = attentionOnly.forward(store, new NDList(x), false).head().toFloatArray();
    assertThat(maxDifference(attentionOnly.forward(store, new NDList(x), true).head()
        .toFloatArray(), inference)).isGreaterThan(1e-3f);
    // Both 0: no dropout anywhere, training is the inference computation.
    BertEncoder none = init(SMALL.withDropout(0), 2, 12);
    float[] noneInference = none.forward(store, new NDList(x), false).head().toFloatArray();
    assertThat(none.forward(store, new NDList(x), true).head().toFloatArray())
        .containsExactly(noneInference);
  }

  @Test
  void alibiSlopesAreMosaicBerts() {
    assertThat(BertEncoder.alibiSlopes(8)).containsExactly(0.5f, 0.25f, 0.125f, 0.0625f,
        0.03125f, 0.015625f, 0.0078125f, 0.00390625f);
    // 12 heads: the 8 slopes of 8 heads, then slopes 1, 3, 5, 7 (0-based 0, 2, 4, 6) of 16 heads.
    float[] twelve = BertEncoder.alibiSlopes(12);
    assertThat(twelve[7]).isEqualTo(0.00390625f);
    assertThat(twelve[8]).isCloseTo((float) Math.pow(2, -0.5), offset(1e-7f));
    assertThat(twelve[11]).isCloseTo((float) Math.pow(2, -3.5), offset(1e-7f));
    BertEncoder encoder = new BertEncoder(SMALL, VOCAB); // 4 heads: 1/4, 1/16, 1/64, 1/256
    float[] bias = encoder.attentionBias(manager, 5, null).toFloatArray(); // (1, 4, 5, 5)
    assertThat(bias[0 * 25 + 0 * 5 + 3]).isEqualTo(-0.75f); // head 0, |0 − 3| · 1/4
    assertThat(bias[1 * 25 + 4 * 5 + 2]).isEqualTo(-0.125f); // head 1, |4 − 2| · 1/16
    assertThat(bias[3 * 25 + 2 * 5 + 2]).isEqualTo(0f);
  }

  @Test
  void paddingAfterASequenceDoesNotChangeItsFeatures() {
    for (boolean preNorm : new boolean[] {false, true}) {
      BertEncoder encoder = init(SMALL.withPreNorm(preNorm), 2, 24);
      NDArray shortIds = ids(1, 17, 5); // (1, 17)
      NDArray padded = shortIds.concat(manager.full(new Shape(1, 7), VOCAB.padId(),
          DataType.INT64), 1); // (1, 24)
      NDArray other = ids(1, 24, 6);
      float[] mask = new float[48];
      java.util.Arrays.fill(mask, 0, 17, 1f);
      java.util.Arrays.fill(mask, 24, 48, 1f);
      NDArray batch = padded.concat(other, 0);
      NDArray batchFeatures = encoder.forward(store,
          new NDList(batch, manager.create(mask, new Shape(2, 24))), false).head();
      float[] alone = encoder.forward(store, new NDList(shortIds), false).head().toFloatArray();
      float[] inBatch = batchFeatures.get("0, :17, :").toFloatArray();
      assertClose(inBatch, alone, "preNorm " + preNorm);
      float[] otherAlone = encoder.forward(store, new NDList(other), false).head().toFloatArray();
      assertClose(batchFeatures.get("1").toFloatArray(), otherAlone, "preNorm " + preNorm);
      // Without the mask the padding is attended to and changes the features.
      float[] unmasked = encoder.forward(store, new NDList(padded), false).head()
          .get("0, :17, :").toFloatArray();
      assertThat(maxDifference(unmasked, alone)).isGreaterThan(1e-3f);
    }
  }

  @Test
  void causalModeHidesLaterTokens() {
    BertEncoder encoder = init(SMALL, 1, 20);
    encoder.setCausal(true);
    assertThat(encoder.isCausal()).isTrue();
    NDArray first = ids(1, 20, 7);
    long[] changed = first.toLongArray();
    for (int i = 12; i < 20; i++) {
      changed[i] = 1 + (changed[i] % 19);
    }
    NDArray second = manager.create(changed, new Shape(1, 20));
    NDArray a = encoder.forward(store, new NDList(first), false).head();
    NDArray b = encoder.forward(store, new NDList(second), false).head();
    assertClose(b.get("0, :12, :").toFloatArray(), a.get("0, :12, :").toFloatArray(), "causal");
    assertThat(maxDifference(b.get("0, 12:, :").toFloatArray(), a.get("0, 12:, :").toFloatArray()))
        .isGreaterThan(1e-3f);
    // Bidirectional again: position 0 now sees the changed tokens.
    encoder.setCausal(false);
    NDArray c = encoder.forward(store, new NDList(first), false).head();
    NDArray d = encoder.forward(store, new NDList(second), false).head();
    assertThat(maxDifference(c.get("0, :12, :").toFloatArray(), d.get("0, :12, :").toFloatArray()))
        .isGreaterThan(1e-3f);
  }

  @Test
  void alibiRunsAtLengthsNeverSeenWithoutAPositionTable() {
    BertEncoder encoder = init(SMALL, 2, 16); // initialised for length 16
    for (Pair<String, Parameter> parameter : encoder.getParameters()) {
      // no (max_length, H) table anywhere: every parameter is sized by V, H, I or 2
      assertThat(parameter.getValue().getArray().getShape().getShape())
          .as(parameter.getKey()).doesNotContain(16L);
    }
    NDArray longIds = ids(1, 700, 8);
    float[] features = encoder.forward(store, new NDList(longIds), false).head().toFloatArray();
    assertThat(features).hasSize(700 * 32);
    for (float value : features) {
      assertThat(Float.isFinite(value)).isTrue();
    }
    // Long padded batches stay padding-invariant too.
    NDArray padded = longIds.concat(manager.full(new Shape(1, 100), VOCAB.padId(),
        DataType.INT64), 1);
    float[] mask = new float[800];
    java.util.Arrays.fill(mask, 0, 700, 1f);
    float[] masked = encoder.forward(store, new NDList(padded,
        manager.create(mask, new Shape(1, 800))), false).head().get("0, :700, :").toFloatArray();
    assertClose(masked, features, "length 800");
  }

  @Test
  void dropoutActsOnlyInTraining() {
    BertEncoder encoder = init(SMALL.withDropout(0.3), 2, 12);
    NDArray x = ids(2, 12, 9);
    float[] inference = encoder.forward(store, new NDList(x), false).head().toFloatArray();
    assertThat(encoder.forward(store, new NDList(x), false).head().toFloatArray())
        .containsExactly(inference);
    assertThat(maxDifference(encoder.forward(store, new NDList(x), true).head().toFloatArray(),
        inference)).isGreaterThan(1e-3f);
  }

  @Test
  void smallConfigurationLearnsToCopyThePreviousTokenOnCpu() {
    // Toy task: at every position predict the previous token, which needs attention to the
    // neighbour on the left. Run causally: symmetric ALiBi alone cannot tell left from right,
    // the causal mask can. Chance is ln(18) ≈ 2.9.
    ModelSpec.Bert spec = new ModelSpec.Bert(2, 64, 4, 128, 0.0, false, ModelSpec.Pooling.CLS,
        true);
    LanguageModel model = Models.initialize(new LanguageModel(new BertEncoder(spec, VOCAB), true),
        manager, 16, 24);
    model.encoder().setCausal(true);
    Optimizer adam = Adam.builder().optLearningRateTracker(Tracker.fixed(3e-3f)).build();
    SoftmaxCrossEntropyLoss lossFunction = new SoftmaxCrossEntropyLoss("ce");
    Random random = new Random(4);
    final int STEPS = 120;
    double first = 0;
    double last = 0;
    long start = System.nanoTime();
    for (int step = 0; step < STEPS; step++) {
      try (NDManager stepManager = manager.newSubManager()) {
        long[] tokens = new long[16 * 24];
        long[] targets = new long[16 * 23];
        for (int b = 0; b < 16; b++) {
          for (int i = 0; i < 24; i++) {
            tokens[b * 24 + i] = 2 + random.nextInt(18);
            if (i > 0) {
              targets[b * 23 + i - 1] = tokens[b * 24 + i - 1];
            }
          }
        }
        NDArray input = stepManager.create(tokens, new Shape(16, 24));
        NDArray labels = stepManager.create(targets, new Shape(16, 23));
        double loss;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray logits = model.forward(store, new NDList(input), true).head() // (16, 24, V)
              .get(":, 1:, :"); // positions 1..23 predict tokens 0..22
          NDArray value = lossFunction.evaluate(new NDList(labels.reshape(-1)),
              new NDList(logits.reshape(-1, VOCAB.size())));
          collector.backward(value);
          loss = value.getFloat();
        }
        for (Pair<String, Parameter> parameter : model.getParameters()) {
          NDArray array = parameter.getValue().getArray();
          NDArray gradient = array.getGradient();
          gradient.attach(stepManager); // the handle, not the gradient buffer, goes with the step
          adam.update(parameter.getValue().getId(), array, gradient);
          JniUtils.zeroGrad((PtNDArray) array);
        }

        if (step < 5) {
          first += loss / 5;
        }
        if (step >= STEPS - 5) {
          last += loss / 5;
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("previous-token task: loss %.3f -> %.3f in %.1f s%n", first, last, seconds);
    assertThat(first).isGreaterThan(2.5);
    assertThat(last).as("loss after %d steps (%.1f s, first %.3f)", STEPS, seconds, first)
        .isLessThan(0.5);
  }

  @Test
  void backwardIsBitIdenticalAcrossStepsAndGarbageCollections() {
    // Regression: a scalar multiply whose tensor DJL frees at once gave garbage gradients after a
    // garbage collection (see BertEncoder's attention). Same input, same parameters, collections
    // in between: every gradient must be the same bits.
    LanguageModel model = Models.initialize(new LanguageModel(new BertEncoder(
        SMALL.withDropout(0), VOCAB), true), manager, 8, 16); // no dropout: same masks every step
    long[] tokens = ids(8, 16, 10).toLongArray();
    float[][] reference = null;
    for (int repeat = 0; repeat < 12; repeat++) {
      try (NDManager step = manager.newSubManager()) {
        NDArray input = step.create(tokens, new Shape(8, 16));
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray logits = model.forward(store, new NDList(input), true).head();
          System.gc(); // frees unreachable Java buffers before backward reads saved tensors
          collector.backward(logits.mul(logits).mean());
        }
        List<Pair<String, Parameter>> parameters = model.getParameters().stream().toList();
        float[][] gradients = new float[parameters.size()][];
        for (int i = 0; i < gradients.length; i++) {
          NDArray array = parameters.get(i).getValue().getArray();
          NDArray gradient = array.getGradient();
          gradient.attach(step);
          gradients[i] = gradient.toFloatArray();
          JniUtils.zeroGrad((PtNDArray) array);
        }
        if (reference == null) {
          reference = gradients;
        } else {
          for (int i = 0; i < gradients.length; i++) {
            assertThat(gradients[i]).as("repeat %d, %s", repeat, parameters.get(i).getKey())
                .containsExactly(reference[i]);
          }
        }
      }
    }
  }

  private BertEncoder init(ModelSpec.Bert spec, int batch, int length) {
    return Models.initialize(new BertEncoder(spec, VOCAB), manager, batch, length);
  }

  /** Ids 2..19 (0 is padding, 1 the mask token). */
  @Test
  void inferenceFreesEachLayersIntermediatesAndComputesWhatTrainingModeComputes() {
    // Without autograd each layer's intermediates are freed as it ends (inferenceLayer): what
    // the caller's manager holds after a forward pass does not grow with depth. Before, every
    // array of every layer stayed to the end (about 0.5 GB per layer at DNABERT-2's shape).
    int[] depths = {1, 4};
    int[] held = new int[depths.length];
    for (int d = 0; d < depths.length; d++) {
      BertEncoder encoder = new BertEncoder(new ModelSpec.Bert(depths[d], 32, 4, 64), VOCAB);
      Models.initialize(encoder, manager, 2, 10);
      try (NDManager pass = manager.newSubManager()) {
        NDArray ids = pass.create(ids(2, 10, 21).toLongArray(), new Shape(2, 10));
        NDArray freed = TorchNatives.withoutGradients(
            () -> encoder.forward(store, new NDList(ids), false).head()); // (B, L, H)
        held[d] = pass.getManagedArrays().size();
        assertThat(freed.getManager()).isSameAs(pass);
        // with autograd recording (a GradientCollector) every array stays, as backward needs
        float[] recorded;
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
          recorded = encoder.forward(store, new NDList(ids), false).head().toFloatArray();
          assertThat(pass.getManagedArrays().size() - held[d]).isGreaterThan(20 * depths[d]);
        }
        // the same ops in the same order: bit-identical
        assertThat(freed.toFloatArray()).containsExactly(recorded);
      }
    }
    assertThat(held[1]).isEqualTo(held[0]);
  }

  private NDArray ids(int batch, int length, long seed) {
    Random random = new Random(seed);
    long[] ids = new long[batch * length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = 2 + random.nextInt(18);
    }
    return manager.create(ids, new Shape(batch, length));
  }

  private static void assertClose(float[] actual, float[] expected, String what) {
    assertThat(actual).hasSameSizeAs(expected);
    assertThat(maxDifference(actual, expected)).as(what).isLessThan(1e-4f);
  }

  private static float maxDifference(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }

  /** The direct child block of {@code block} added under {@code name}. */
  private static Block child(Block block, String name) {
    return block.getChildren().stream().filter(pair -> pair.getKey().endsWith(name))
        .map(Pair::getValue).findFirst().orElseThrow();
  }

  private static NDArray weight(Block linear) {
    return linear.getParameters().get("weight").getArray();
  }

  private static NDArray bias(Block linear) {
    return linear.getParameters().get("bias").getArray();
  }

  private static int[] identity(int size) {
    int[] ids = new int[size];
    for (int i = 0; i < size; i++) {
      ids[i] = i;
    }
    return ids;
  }
}
