package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.AdamW;
import ai.djl.util.Pair;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.model.InputVocabulary;
import io.dnalab.model.Models;
import io.dnalab.model.TokenEncoder;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.tokenize.NucleotideTokenizer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainCheckpointTest {
  static final PretrainSpec.Pretrain SPEC =
      PretrainFixtures.spec(PretrainResumeChild.objective(), 40, 20);

  @TempDir
  Path dir;

  @Test
  void aRunKilledBySigkillResumesAndEndsExactlyAsAnUninterruptedOne() throws Exception {
    Path killedRoot = dir.resolve("killed");
    Path dataDir = dir.resolve("data");
    Files.createDirectories(dataDir);
    PretrainFixtures.segmentGenome(dataDir);
    String key = Pretrainer.key(SPEC, PretrainFixtures.inputs(dataDir));
    Path partial = new PretrainCheckpoints(killedRoot).partialFile(key);

    String classpath = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", classpath,
        PretrainResumeChild.class.getName(), dataDir.toString(), killedRoot.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
    // The child must sum in the same order as this JVM: same intra-op thread count (another
    // test may have started the engine here with PyTorch's default, one thread per core).
    DnalabEngine.startDefault();
    builder.environment().put("DNALAB_THREADS",
        Integer.toString(io.dnalab.engine.TorchNatives.intraOpThreads()));
    Process child = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.isRegularFile(partial) && child.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(partial).as("partial checkpoint of the child; its log:%n%s",
        Files.exists(dir.resolve("child.log")) ? Files.readString(dir.resolve("child.log")) : "")
        .isRegularFile();
    child.destroyForcibly(); // SIGKILL
    assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(new PretrainCheckpoints(killedRoot).finished(key)).isEmpty();

    List<Long> resumedSteps = new ArrayList<>();
    PretrainResult resumed = PretrainFixtures.pretrainer(killedRoot, 5).run(SPEC,
        PretrainFixtures.inputs(dataDir), new TrainingListener() {
          @Override
          public void onStep(int epoch, long step, long totalSteps, double loss, double lr) {
            resumedSteps.add(step);
          }
        });
    assertThat(resumedSteps).isNotEmpty();
    assertThat(resumedSteps.get(0)).as("resumed after the child's checkpoint").isGreaterThan(5);
    assertThat(resumedSteps.get(resumedSteps.size() - 1)).isEqualTo(40);
    assertThat(partial).doesNotExist();

    PretrainResult uninterrupted = PretrainFixtures.pretrainer(dir.resolve("straight"), 0)
        .run(SPEC, PretrainFixtures.inputs(dataDir), TrainingListener.NONE);
    // Same device and thread count: the resumed run is bit-identical. Tolerance 1e-6 all the
    // same, so a harmless change of summation order in a future engine is not a failure.
    assertThat(resumed.heldOut().loss()).isCloseTo(uninterrupted.heldOut().loss(),
        org.assertj.core.data.Offset.offset(1e-6));
    assertThat(resumed.curve()).hasSameSizeAs(uninterrupted.curve());
    for (int i = 0; i < resumed.curve().size(); i++) {
      assertThat(resumed.curve().get(i).loss()).isCloseTo(uninterrupted.curve().get(i).loss(),
          org.assertj.core.data.Offset.offset(1e-6));
    }
    float[][] a = encoderParameters(resumed.encoderFile());
    float[][] b = encoderParameters(uninterrupted.encoderFile());
    double maxDifference = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        maxDifference = Math.max(maxDifference, Math.abs(a[i][j] - b[i][j]));
      }
    }
    System.out.println("resumed vs uninterrupted: max |Δparameter| = " + maxDifference);
    assertThat(maxDifference).isLessThanOrEqualTo(1e-6);

    // The finished checkpoint is reused, not retrained.
    PretrainResult again = PretrainFixtures.pretrainer(killedRoot, 5).run(SPEC,
        PretrainFixtures.inputs(dataDir), TrainingListener.NONE);
    assertThat(again.reused()).isTrue();
    assertThat(again.heldOut()).isEqualTo(resumed.heldOut());
    assertThat(again.curve()).isEqualTo(resumed.curve());
  }

  /**
   * The experiment engine's path: the caller names the state file and the encoder file (both in
   * its artifact store); a run that dies resumes from the state and writes the encoder an
   * uninterrupted run writes.
   */
  @Test
  void aCrashedRunResumesFromTheStateFileItWasGiven() throws Exception {
    Path dataDir = dir.resolve("data");
    Files.createDirectories(dataDir);
    PretrainFixtures.segmentGenome(dataDir);
    Path state = dir.resolve("partial").resolve("training.state");
    Pretrainer pretrainer = PretrainFixtures.pretrainer(null, 5);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> pretrainer.train(SPEC,
        PretrainFixtures.inputs(dataDir), state, dir.resolve("never.params"),
        new TrainingListener() {
          @Override
          public void onStep(int epoch, long step, long totalSteps, double loss, double lr) {
            if (step == 12) {
              throw new IllegalStateException("crash at step 12");
            }
          }
        })).hasMessage("crash at step 12");
    assertThat(state).isRegularFile(); // written at step 10
    assertThat(dir.resolve("never.params")).doesNotExist();

    List<Long> resumedSteps = new ArrayList<>();
    PretrainResult resumed = pretrainer.train(SPEC, PretrainFixtures.inputs(dataDir), state,
        dir.resolve("resumed.params"), new TrainingListener() {
          @Override
          public void onStep(int epoch, long step, long totalSteps, double loss, double lr) {
            resumedSteps.add(step);
          }
        });
    assertThat(resumedSteps.get(0)).isEqualTo(11);
    assertThat(resumed.encoderFile()).isEqualTo(dir.resolve("resumed.params"));
    PretrainResult straight = pretrainer.train(SPEC, PretrainFixtures.inputs(dataDir), null,
        dir.resolve("straight.params"), TrainingListener.NONE);
    // Same device, thread count and computation: bit-identical.
    assertThat(resumed.curve()).isEqualTo(straight.curve());
    float[][] a = encoderParameters(resumed.encoderFile());
    float[][] b = encoderParameters(straight.encoderFile());
    for (int i = 0; i < a.length; i++) {
      assertThat(a[i]).as("encoder parameter %d", i).containsExactly(b[i]);
    }
  }

  private static float[][] encoderParameters(Path file) throws Exception {
    try (NDManager manager = NDManager.newBaseManager(DnalabEngine.startDefault())) {
      TokenEncoder encoder = Models.createEncoder(PretrainFixtures.TINY_BERT,
          InputVocabulary.of(NucleotideTokenizer.create()));
      Models.initialize(encoder, manager, 1, 16);
      encoder.load(file, manager);
      List<float[]> values = new ArrayList<>();
      for (Pair<String, Parameter> pair : encoder.getParameters()) {
        values.add(pair.getValue().getArray().toFloatArray());
      }
      return values.toArray(new float[0][]);
    }
  }

  @Test
  void savedEncoderLoadsAndGivesIdenticalOutputs() throws Exception {
    InputVocabulary vocabulary = InputVocabulary.of(NucleotideTokenizer.create());
    try (NDManager manager = NDManager.newBaseManager(DnalabEngine.startDefault())) {
      DnalabEngine.seed(1);
      TokenEncoder saved = Models.initialize(
          Models.createEncoder(PretrainFixtures.TINY_BERT, vocabulary), manager, 2, 32);
      DnalabEngine.seed(2); // a different initialisation, replaced by the load
      TokenEncoder loaded = Models.initialize(
          Models.createEncoder(PretrainFixtures.TINY_BERT, vocabulary), manager, 2, 32);
      Path file = dir.resolve("encoder.params");
      saved.save(file);
      loaded.load(file, manager);
      long[] ids = new long[64];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = 5 + i % 4;
      }
      NDArray input = manager.create(ids, new Shape(2, 32));
      float[] expected = saved.forward(new ParameterStore(manager, false), new NDList(input),
          false).head().toFloatArray();
      float[] actual = loaded.forward(new ParameterStore(manager, false), new NDList(input),
          false).head().toFloatArray();
      assertThat(actual).containsExactly(expected);
    }
  }

  @Test
  void adamwMatchesDjlsAdamwOnOneStep() {
    try (NDManager manager = NDManager.newBaseManager(DnalabEngine.startDefault())) {
      float[] start = {0.5f, -1.2f, 3.0f, 0.01f, -0.7f, 2.2f};
      float[] grad = {0.3f, -0.05f, 1.5f, -2.0f, 0.0001f, 0.8f};
      Shape shape = new Shape(2, 3);
      Parameter ours = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT)
          .build();
      ours.setArray(manager.create(start, shape));
      NDArray theirs = manager.create(start, shape);
      double lr = 0.01;
      double weightDecay = 0.1;
      // ε differs by design: DJL adds it to √v before bias correction (effectively
      // ε/√(1−β2^t)), torch.optim.AdamW and ours after. With ε ≈ 0 the updates must agree.
      double epsilon = 1e-12;
      AdamWOptimizer adam = new AdamWOptimizer(manager, List.of(ours), new boolean[] {true},
          0.9, 0.999, epsilon, weightDecay);
      AdamW djl = AdamW.builder().optLearningRateTracker(
          ai.djl.training.tracker.Tracker.fixed((float) lr)).optBeta1(0.9f).optBeta2(0.999f)
          .optEpsilon((float) epsilon).optWeightDecays((float) weightDecay).build();
      try (NDManager step = manager.newSubManager()) {
        adam.step(List.of(manager.create(grad, shape)), lr, step);
      }
      djl.update("w", theirs, manager.create(grad, shape));
      float[] a = ours.getArray().toFloatArray();
      float[] b = theirs.toFloatArray();
      for (int i = 0; i < a.length; i++) {
        // step 1: both move each weight by lr·sign(g) plus lr·wd·w
        assertThat((double) a[i]).as("weight %d", i).isCloseTo(b[i],
            org.assertj.core.data.Offset.offset(1e-6));
        assertThat((double) a[i]).isNotEqualTo((double) start[i]);
      }
    }
  }
}
