package io.dnalab.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.spec.ModelSpec;
import java.nio.file.Path;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsTest {
  /**
   * Outputs of two different float32 computations (other kernels, another summation order, another
   * CPU) agree to rounding, not bit for bit: 1e-4 absolute on activations of order 1.
   */
  private static final Offset<Float> FLOAT_TOLERANCE = Offset.offset(1e-4f);

  private NDManager manager;
  private ParameterStore store;

  @BeforeEach
  void setUp() {
    DnalabEngine.startDefault();
    DnalabEngine.seed(11);
    manager = NDManager.newBaseManager();
    store = new ParameterStore(manager, false);
  }

  @AfterEach
  void tearDown() {
    manager.close();
  }

  @Test
  void convNovaParameterCountsMatchPublishedConfigurations() {
    // Hand counts in ConvNova's class comment: 378,050 (GB, ≈0.38M) and 1,688,706 (NT, ≈1.69M).
    SequenceClassifier gb = init(new ConvNova(ModelSpec.ConvNova.genomicBenchmarks(), 2), 2, 70);
    SequenceClassifier nt = init(new ConvNova(ModelSpec.ConvNova.nucleotideTransformer(), 2),
        2, 70);
    assertThat(gb.parameterCount()).isEqualTo(378_050);
    assertThat(nt.parameterCount()).isEqualTo(1_688_706);
  }

  @Test
  void convNovaDilationsAndReceptiveField() {
    assertThat(ConvNova.dilationSchedule(5, 4)).containsExactly(1, 1, 1, 4, 16);
    assertThat(ConvNova.dilationSchedule(9, 4)).containsExactly(1, 1, 1, 4, 16, 64, 256, 1024,
        1024);
    ConvNova nt = new ConvNova(ModelSpec.ConvNova.nucleotideTransformer(), 2);
    assertThat(nt.receptiveField()).isEqualTo(193);
  }

  @Test
  void everyModelMapsIdsToLogitsOfShapeBatchByClasses() {
    NDArray ids = randomIds(3, 101, 1);
    for (SequenceClassifier model : new SequenceClassifier[] {
        new ConvNova(ModelSpec.ConvNova.genomicBenchmarks(), 3),
        new UNet1d(new ModelSpec.UNet(3, 8), 3),
        new CnnBaseline(101, 3)}) {
      init(model, 3, 101);
      NDArray logits = model.forward(store, new NDList(ids), false).head();
      assertThat(logits.getShape()).as(model.getClass().getSimpleName())
          .isEqualTo(new Shape(3, 3));
      assertThat(model.getOutputShapes(new Shape[] {new Shape(3, 101)}))
          .containsExactly(new Shape(3, 3));
    }
  }

  @Test
  void complementBranchSeesComplementAtSamePositionsNotReversed() {
    // One-hot tables: A C G T N PAD -> complement T G C A N PAD, PAD all zeros.
    float[] complement = Layers.oneHotTable(manager, true).toFloatArray();
    int[] expectedChannel = {3, 2, 1, 0, 4, -1};
    for (int id = 0; id < 6; id++) {
      for (int c = 0; c < 5; c++) {
        assertThat(complement[id * 5 + c]).isEqualTo(c == expectedChannel[id] ? 1f : 0f);
      }
    }
    // If the complement stem's weights are the forward stem's with input channels permuted by
    // the complement (A<->T, C<->G), both stems must produce identical features position by
    // position; a reversed complement would give the forward features reversed instead.
    ConvNova model = (ConvNova) init(new ConvNova(ModelSpec.ConvNova.genomicBenchmarks(), 2),
        2, 30);
    Parameter stemWeight = param(model, "complement_stem_weight");
    NDArray forwardWeight = param(model, "stem_weight").getArray(); // (d, 5, 9)
    NDArray permuted = forwardWeight.get(new ai.djl.ndarray.index.NDIndex(":, {}, :",
        manager.create(new long[] {3, 2, 1, 0, 4})));
    stemWeight.getArray().set(permuted.toFloatArray());
    param(model, "complement_stem_bias").getArray()
        .set(param(model, "stem_bias").getArray().toFloatArray());
    NDArray ids = randomIds(2, 30, 2);
    NDList branches = model.encoder().stems(store, ids, false);
    // Two different convolutions (permuted weights): equal up to summation order, not bitwise.
    assertThat(branches.get(1).toFloatArray())
        .containsExactly(branches.get(0).toFloatArray(), FLOAT_TOLERANCE);
  }

  @Test
  void paddingDoesNotChangeLogitsOfMaskedModels() {
    NDArray shortIds = randomIds(1, 45, 3); // (1, 45)
    NDArray longIds = randomIds(1, 64, 4); // (1, 64)
    // Batch of two: the 45-long sequence padded with PAD (and a mask) next to a 64-long one.
    long[] padded = new long[64];
    java.util.Arrays.fill(padded, SequenceClassifier.PAD_ID);
    System.arraycopy(shortIds.toLongArray(), 0, padded, 0, 45);
    float[] mask = new float[128];
    java.util.Arrays.fill(mask, 0, 45, 1f);
    java.util.Arrays.fill(mask, 64, 128, 1f);
    NDArray batchIds = manager.create(padded, new Shape(1, 64)).concat(longIds, 0);
    NDArray batchMask = manager.create(mask, new Shape(2, 64));
    for (SequenceClassifier model : new SequenceClassifier[] {
        new ConvNova(ModelSpec.ConvNova.genomicBenchmarks(), 2),
        new UNet1d(new ModelSpec.UNet(2, 8), 2)}) {
      init(model, 2, 64);
      float[] alone = model.forward(store, new NDList(shortIds), false).head().toFloatArray();
      float[] longAlone = model.forward(store, new NDList(longIds), false).head().toFloatArray();
      float[] batch = model.forward(store, new NDList(batchIds, batchMask), false).head()
          .toFloatArray();
      String name = model.getClass().getSimpleName();
      for (int k = 0; k < 2; k++) {
        assertThat(batch[k]).as(name).isCloseTo(alone[k], FLOAT_TOLERANCE);
        assertThat(batch[2 + k]).as(name)
            .isCloseTo(longAlone[k], FLOAT_TOLERANCE);
      }
      // Without the mask the padding does change the result: the mask is what makes it equal.
      float[] unmasked = model.forward(store, new NDList(batchIds), false).head().toFloatArray();
      assertThat(Math.abs(unmasked[0] - alone[0]) + Math.abs(unmasked[1] - alone[1]))
          .as(name).isGreaterThan(1e-4f);
    }
  }

  @Test
  void cnnBaselinePadsToItsInputLengthAndCountsParametersByLength() {
    // 15,276 + 2,048·L3 + 513·K (CnnBaseline's comment): L=70 -> L3=2 -> 20,398;
    // L=1024 -> L3=121 -> 264,110.
    assertThat(init(new CnnBaseline(70, 2), 2, 70).parameterCount()).isEqualTo(20_398);
    assertThat(init(new CnnBaseline(1024, 2), 2, 1024).parameterCount()).isEqualTo(264_110);
    assertThat(CnnBaseline.flattenedLength(101)).isEqualTo(6);

    CnnBaseline cnn = (CnnBaseline) init(new CnnBaseline(80, 2), 2, 80);
    assertThat(cnn.usesPaddingMask()).isFalse();
    NDArray ids = randomIds(2, 60, 5);
    NDArray explicit = ids.concat(manager.full(new Shape(2, 20), SequenceClassifier.PAD_ID,
        ids.getDataType()), 1);
    // Padding by the model and padding by the caller run different kernels: equal within rounding.
    assertThat(cnn.forward(store, new NDList(ids), false).head().toFloatArray())
        .containsExactly(cnn.forward(store, new NDList(explicit), false).head().toFloatArray(),
            FLOAT_TOLERANCE);
    assertThatThrownBy(() -> cnn.forward(store, new NDList(randomIds(1, 81, 6)), false))
        .hasMessage("the CNN baseline was built for sequences of at most 80 tokens, got a batch "
            + "of length 81");
    assertThatThrownBy(() -> new CnnBaseline(40, 2)).hasMessageContaining("at least 50 tokens");
  }

  @Test
  void cnnBaselineHasReluAfterItsFirstStageOnlyAsTheReference() {
    CnnBaseline cnn = (CnnBaseline) init(new CnnBaseline(80, 2), 2, 80);
    ai.djl.nn.Block features = cnn.getChildren().stream()
        .filter(pair -> pair.getKey().endsWith("features")).findFirst().orElseThrow().getValue();
    // The reference's conv_layers: Conv, BN, ReLU, Pool | Conv, BN, Pool | Conv, BN, Pool.
    assertThat(features.getChildren().size()).isEqualTo(10);
    NDArray x = manager.randomNormal(new Shape(2, CnnBaseline.EMBEDDING_DIM, 80)); // (B, 100, L0)
    for (int i = 0; i < 10; i++) {
      x = features.getChildren().get(i).getValue().forward(store, new NDList(x), false).head();
      if (i == 3) { // after stage 1: ReLU, then max-pool of non-negatives
        assertThat(x.min().getFloat()).as("stage 1 output").isGreaterThanOrEqualTo(0f);
      }
    }
    // (B, 4, L3) after stages 2 and 3, batch norm with no ReLU: negative features remain.
    assertThat(x.getShape()).isEqualTo(new Shape(2, 4, CnnBaseline.flattenedLength(80)));
    assertThat(x.min().getFloat()).as("stage 3 output").isLessThan(0f);
  }

  @Test
  void unetParameterCountByHand() {
    // depth 1, width 8, K 2:
    //   encoder_0  conv 5·8·5+8=208, BN 16, conv 8·8·5+8=328, BN 16        =   568
    //   bottleneck conv 8·16·5+16=656, BN 32, conv 16·16·5+16=1296, BN 32  = 2,016
    //   up_0       1×1 conv 16 → 2·8 (a transposed conv k 2, stride 2): 256+16 =   272
    //   decoder_0  conv 16·8·5+8=648, BN 16, conv 328, BN 16               = 1,008
    //   output     8·2+2                                                   =    18  → 3,882
    assertThat(init(new UNet1d(new ModelSpec.UNet(1, 8), 2), 2, 33).parameterCount())
        .isEqualTo(3_882);
  }

  @Test
  void factoryBuildsEachSpecAndRejectsOthers() {
    assertThat(Models.create(ModelSpec.ConvNova.genomicBenchmarks(), 2, 70))
        .isInstanceOf(ConvNova.class);
    assertThat(Models.create(new ModelSpec.CnnBaseline(), 2, 70)).isInstanceOf(CnnBaseline.class);
    assertThat(Models.create(new ModelSpec.UNet(2, 16), 2, 70)).isInstanceOf(UNet1d.class);
    assertThat(Models.create(new ModelSpec.Bert(2, 64, 2, 128), 2, 70))
        .isInstanceOf(EncoderClassifier.class);
    assertThat(((EncoderClassifier) Models.create(new ModelSpec.Bert(2, 64, 2, 128), 2, 70))
        .encoder()).isInstanceOf(BertEncoder.class);
    String refusal = "cnn-baseline pools inside its stages and has no per-position output to "
        + "pretrain; use convnova, unet, bert, standardbert or esm";
    assertThatThrownBy(() -> Models.createEncoder(new ModelSpec.CnnBaseline(),
        InputVocabulary.NUCLEOTIDE)).hasMessage(refusal);
    assertThatThrownBy(() -> Models.createLanguageModel(new ModelSpec.CnnBaseline(),
        InputVocabulary.NUCLEOTIDE)).hasMessage(refusal);
    assertThatThrownBy(() -> Models.create(new ModelSpec.CnnBaseline(), 2, 70, kmerVocabulary()))
        .hasMessageContaining("cnn-baseline reads single-nucleotide ids only");
  }

  @Test
  void encodersGiveOneFeatureVectorPerPositionForAnyVocabulary() {
    InputVocabulary kmers = kmerVocabulary();
    for (InputVocabulary vocabulary : new InputVocabulary[] {InputVocabulary.NUCLEOTIDE, kmers}) {
      for (ModelSpec spec : new ModelSpec[] {ModelSpec.ConvNova.genomicBenchmarks(),
          new ModelSpec.UNet(2, 8), new ModelSpec.Bert(2, 32, 4, 64)}) {
        TokenEncoder encoder = Models.initialize(Models.createEncoder(spec, vocabulary), manager,
            2, 37);
        NDArray ids = randomIds(2, 37, 9, vocabulary.size() - 1);
        NDArray features = encoder.forward(store, new NDList(ids), false).head();
        String name = spec.id() + " " + vocabulary;
        assertThat(features.getShape()).as(name).isEqualTo(new Shape(2, 37,
            encoder.hiddenSize()));
        assertThat(encoder.getOutputShapes(new Shape[] {new Shape(2, 37)})).as(name)
            .containsExactly(new Shape(2, 37, encoder.hiddenSize()));
        assertThat(encoder.supportsCausal()).as(name).isEqualTo(spec instanceof ModelSpec.Bert);
      }
    }
    // The learned table of a k-mer ConvNova is (V, d) and adds exactly V·d parameters; the stems
    // then read d channels instead of the 5 one-hot ones: 2·(d·d·9 − 5·d·9).
    long oneHot = Models.initialize(new ConvNovaEncoder(ModelSpec.ConvNova.genomicBenchmarks(),
        InputVocabulary.NUCLEOTIDE), manager, 1, 20).parameterCount();
    long learned = Models.initialize(new ConvNovaEncoder(ModelSpec.ConvNova.genomicBenchmarks(),
        kmers), manager, 1, 20).parameterCount();
    assertThat(learned - oneHot).isEqualTo(70L * 64 + 2L * (64 * 64 * 9 - 5 * 64 * 9));
    assertThatThrownBy(() -> new ConvNovaEncoder(ModelSpec.ConvNova.genomicBenchmarks(), kmers)
        .setCausal(true)).hasMessageContaining("cannot be made causal");
  }

  @Test
  void convNovaComplementBranchOfALearnedVocabularyEmbedsComplementIds() {
    // Tokens 0..3 = A, C, G, T, 4 = PAD, 5 = a token whose complement is not in the vocabulary.
    InputVocabulary vocabulary = new InputVocabulary(6, 4, -1, false,
        new int[] {3, 2, 1, 0, 4, 5});
    ConvNovaEncoder encoder = Models.initialize(new ConvNovaEncoder(
        ModelSpec.ConvNova.genomicBenchmarks(), vocabulary), manager, 1, 12);
    // With both stems equal, the complement branch of ids equals the forward branch of their
    // complement ids, position by position.
    param(encoder, "complement_stem_weight").getArray()
        .set(param(encoder, "stem_weight").getArray().toFloatArray());
    param(encoder, "complement_stem_bias").getArray()
        .set(param(encoder, "stem_bias").getArray().toFloatArray());
    NDArray ids = manager.create(new long[] {0, 1, 2, 3, 5, 0, 0, 2, 4, 4, 1, 3}, new Shape(1, 12));
    NDArray complement = manager.create(new long[] {3, 2, 1, 0, 5, 3, 3, 1, 4, 4, 2, 0},
        new Shape(1, 12));
    assertThat(encoder.stems(store, ids, false).get(1).toFloatArray())
        .containsExactly(encoder.stems(store, complement, false).get(0).toFloatArray(),
            FLOAT_TOLERANCE);
  }

  @Test
  void languageModelTiesItsDecoderToBertsEmbeddingOnly() {
    InputVocabulary kmers = kmerVocabulary();
    ModelSpec.Bert bert = new ModelSpec.Bert(2, 32, 4, 64);
    LanguageModel tied = Models.initialize(Models.createLanguageModel(bert, kmers), manager, 2, 9);
    LanguageModel untied = Models.initialize(Models.createLanguageModel(
        new ModelSpec.Bert(2, 32, 4, 64, 0.1, false, ModelSpec.Pooling.CLS, false), kmers),
        manager, 2, 9);
    long encoder = tied.encoder().parameterCount();
    // head: transform 32·32+32, LN 64, decoder bias 70 (tied) or 32·70+70 (untied)
    assertThat(tied.isTied()).isTrue();
    assertThat(tied.parameterCount()).isEqualTo(encoder + 1056 + 64 + 70);
    assertThat(untied.isTied()).isFalse();
    assertThat(untied.parameterCount()).isEqualTo(encoder + 1056 + 64 + 32 * 70 + 70);
    NDArray ids = randomIds(2, 9, 3, 69);
    NDArray logits = tied.forward(store, new NDList(ids), false).head();
    assertThat(logits.getShape()).isEqualTo(new Shape(2, 9, 70));
    // Conv encoders have no (V, H) token table: untied even when asked.
    LanguageModel conv = Models.initialize(new LanguageModel(new ConvNovaEncoder(
        ModelSpec.ConvNova.genomicBenchmarks(), InputVocabulary.NUCLEOTIDE), true), manager, 2, 9);
    assertThat(conv.isTied()).isFalse();
    // One logit per id of the nucleotide layout (A..N, PAD, MASK, UNK, CLS, SEP).
    assertThat(conv.forward(store, new NDList(randomIds(2, 9, 4)), false).head().getShape())
        .isEqualTo(new Shape(2, 9, InputVocabulary.NUCLEOTIDE.size()));
  }

  @Test
  void savedEncoderLoadsIntoAFreshOneWithIdenticalOutputs(@TempDir Path dir) throws Exception {
    InputVocabulary kmers = kmerVocabulary();
    for (ModelSpec spec : new ModelSpec[] {ModelSpec.ConvNova.genomicBenchmarks(),
        new ModelSpec.Bert(2, 32, 4, 64)}) {
      DnalabEngine.seed(1);
      TokenEncoder saved = Models.initialize(Models.createEncoder(spec, kmers), manager, 2, 16);
      Path file = dir.resolve(spec.id() + ".params");
      saved.save(file);
      DnalabEngine.seed(2); // another initialisation, replaced by the checkpoint
      TokenEncoder loaded = Models.initialize(Models.createEncoder(spec, kmers), manager, 2, 16);
      NDArray ids = randomIds(2, 16, 8, 69);
      float[] before = loaded.forward(store, new NDList(ids), false).head().toFloatArray();
      float[] expected = saved.forward(store, new NDList(ids), false).head().toFloatArray();
      assertThat(before).as(spec.id()).isNotEqualTo(expected);
      loaded.load(file, manager);
      ParameterStore fresh = new ParameterStore(manager, false); // stores cache arrays
      assertThat(loaded.forward(fresh, new NDList(ids), false).head().toFloatArray())
          .as(spec.id()).containsExactly(expected);
      // A checkpoint of another vocabulary size is refused, naming the file.
      TokenEncoder other = Models.initialize(Models.createEncoder(spec,
          new InputVocabulary(71, 0, -1, false, identity(71))), manager, 2, 16);
      assertThatThrownBy(() -> other.load(file, manager)).hasMessageContaining(file.toString())
          .hasMessageContaining("another size or vocabulary");
    }
  }

  /** 70 ids, pad 0, no complements (a stand-in for a k-mer or BPE vocabulary). */
  private static InputVocabulary kmerVocabulary() {
    return new InputVocabulary(70, 0, 1, false, identity(70));
  }

  private static int[] identity(int size) {
    int[] ids = new int[size];
    for (int i = 0; i < size; i++) {
      ids[i] = i;
    }
    return ids;
  }

  private SequenceClassifier init(SequenceClassifier model, int batch, int length) {
    return Models.initialize(model, manager, batch, length);
  }

  private NDArray randomIds(int batch, int length, long seed) {
    return randomIds(batch, length, seed, 4); // A C G T N
  }

  /** Ids in 1..maxId (0 is the pad id of the test vocabularies). */
  private NDArray randomIds(int batch, int length, long seed, int maxId) {
    Random random = new Random(seed);
    long[] ids = new long[batch * length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = maxId == 4 ? random.nextInt(5) : 1 + random.nextInt(maxId);
    }
    return manager.create(ids, new Shape(batch, length));
  }

  /**
   * DJL prefixes child names with their position ("01encoder_02stem_weight"); match the name
   * with those prefixes removed ("stem_weight").
   */
  private static Parameter param(ai.djl.nn.Block model, String name) {
    for (var pair : model.getParameters()) {
      String key = pair.getKey().replaceFirst("^\\d+encoder_", "").replaceFirst("^\\d+", "");
      if (key.equals(name)) {
        return pair.getValue();
      }
    }
    throw new AssertionError("no parameter " + name + " in " + model.getParameters().keys());
  }
}
