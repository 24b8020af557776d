package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.util.Pair;
import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.model.InputVocabulary;
import io.dnalab.model.Models;
import io.dnalab.model.SequenceClassifier;
import io.dnalab.spec.ModelSpec;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared training core: fine-tuning's AdamW against DJL's, and the training-state file. */
class TrainingCoreTest {
  private static final int STEPS = 12;
  private static final int BATCH = 16;

  private static FineTuneConfig config(long seed) {
    return new FineTuneConfig(1, 3e-3, BATCH, 0.1, LearningRateSchedule.Kind.WARMUP_COSINE,
        0.1, 0.1, 1.0, 0, "mcc", 64, 0, seed);
  }

  /**
   * Fine-tuning ran on DJL's {@code AdamW} (one optimizer object for decayed weights, one for the
   * rest) before it ran on the checkpointable {@link AdamWOptimizer}: the same steps must give
   * the same parameters, bit for bit, for a dropout-free model and one with dropout.
   */
  @Test
  void fineTuningStepsMatchDjlsAdamWBitForBit() {
    SequenceTask task = SyntheticTasks.motifs(2, STEPS * BATCH, 16, 16, 30, 40, 21);
    Batches.Encoded train = Batches.Encoded.of(task.train(), NucleotideEncoder.INSTANCE);
    List<Batches.Batch> batches = new ArrayList<>();
    int[] order = Batches.shuffledOrder(train.size(), 3, 1);
    for (int step = 0; step < STEPS; step++) {
      batches.add(Batches.assemble(train, order, step * BATCH, (step + 1) * BATCH,
          NucleotideEncoder.INSTANCE.padId()));
    }
    for (ModelSpec spec : new ModelSpec[] {new ModelSpec.ConvNova(16, 5, 3, 4, 2, false),
        new ModelSpec.Bert(1, 32, 2, 64)}) {
      FineTuneConfig config = config(3);
      float[][] ours;
      try (FineTuner.Session session = new FineTuner.Session(spec, InputVocabulary.NUCLEOTIDE,
          null, 2, train.maxLength(), BATCH, config, STEPS, DnalabEngine.startDefault())) {
        for (Batches.Batch batch : batches) {
          session.step(batch);
        }
        ours = session.snapshot();
      }
      float[][] djl = withDjlsAdamW(spec, train.maxLength(), config, batches);
      assertThat(ours.length).isEqualTo(djl.length);
      for (int i = 0; i < ours.length; i++) {
        assertThat(ours[i]).as(spec.id() + " parameter " + i).containsExactly(djl[i]);
      }
    }
  }

  /**
   * What {@code FineTuner.Session} did before the shared loop: DJL's {@code AdamW} objects, the
   * learning rate from a tracker; the engine reseeded per step as the session does now.
   */
  private static float[][] withDjlsAdamW(ModelSpec spec, int maxLength, FineTuneConfig config,
      List<Batches.Batch> batches) {
    try (NDManager root = NDManager.newBaseManager(DnalabEngine.startDefault())) {
      DnalabEngine.seed(config.seed());
      SequenceClassifier model = Models.create(spec, 2, maxLength, InputVocabulary.NUCLEOTIDE);
      Models.initialize(model, root, BATCH, maxLength);
      ParameterStore store = new ParameterStore(root, false);
      List<Parameter> trainable = new ArrayList<>();
      List<Parameter> all = new ArrayList<>();
      for (Pair<String, Parameter> pair : model.getParameters()) {
        all.add(pair.getValue());
        if (pair.getValue().requiresGradient()) {
          trainable.add(pair.getValue());
        }
      }
      LearningRateSchedule schedule = config.scheduleFor(STEPS);
      long[] steps = {0};
      ParameterTracker rate = (parameterId, numUpdate) -> (float) schedule.at(steps[0]);
      Optimizer decayed = AdamW.builder().optLearningRateTracker(rate)
          .optWeightDecays((float) config.weightDecay()).build();
      Optimizer undecayed = AdamW.builder().optLearningRateTracker(rate).optWeightDecays(0f)
          .build();
      SoftmaxCrossEntropyLoss lossFunction = new SoftmaxCrossEntropyLoss("ce");
      for (Batches.Batch batch : batches) {
        DnalabEngine.seed(Pretrainer.mixed(config.seed(), steps[0]));
        try (NDManager step = root.newSubManager()) {
          Shape shape = new Shape(batch.size(), batch.length());
          NDList inputs = batch.mask() == null
              ? new NDList(step.create(batch.ids(), shape))
              : new NDList(step.create(batch.ids(), shape), step.create(batch.mask(), shape));
          try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = model.forward(store, inputs, true).head();
            collector.backward(lossFunction.evaluate(new NDList(step.create(batch.labels())),
                new NDList(logits)));
          }
          List<NDArray> gradients = new ArrayList<>();
          for (Parameter parameter : trainable) {
            NDArray gradient = parameter.getArray().getGradient();
            gradient.attach(step);
            gradients.add(gradient);
          }
          GradientClipping.clipGlobalNorm(gradients, config.gradientClipNorm());
          for (int i = 0; i < trainable.size(); i++) {
            Parameter parameter = trainable.get(i);
            // DJL's PyTorch AdamW zeroes the gradient after its update.
            (TrainingLoop.decays(parameter) ? decayed : undecayed).update(parameter.getId(),
                parameter.getArray(), gradients.get(i));
          }
        }
        steps[0]++;
      }
      float[][] values = new float[all.size()][];
      for (int i = 0; i < values.length; i++) {
        values[i] = all.get(i).getArray().toFloatArray();
      }
      return values;
    }
  }

  @Test
  void trainingStateRoundTripsAndRefusesAnotherRun(@TempDir Path dir) {
    Path file = dir.resolve("run.state");
    TrainingState.write(file, "finetune", "abc", out -> {
      out.writeLong(42);
      TrainingState.writeFloats(out, new float[] {1.5f, -2f});
    });
    long[] step = new long[1];
    float[][] values = new float[1][];
    TrainingState.read(file, "finetune", "abc", in -> {
      step[0] = in.readLong();
      values[0] = TrainingState.readFloats(in, 2);
    });
    assertThat(step[0]).isEqualTo(42);
    assertThat(values[0]).containsExactly(1.5f, -2f);
    assertThatThrownBy(() -> TrainingState.read(file, "finetune", "other", in -> in.readLong()))
        .isInstanceOf(UncheckedIOException.class).hasMessageStartingWith(file.toString())
        .hasMessageContaining("state of another run (finetune abc), expected finetune other");
    assertThatThrownBy(() -> TrainingState.read(file, "pretrain", "abc", in -> in.readLong()))
        .hasMessageContaining("another run");
    assertThatThrownBy(() -> TrainingState.read(file, "finetune", "abc", in -> in.readLong()))
        .hasMessageStartingWith(file.toString()).hasMessageContaining("stray bytes");
    assertThat(dir.toFile().list()).containsExactly("run.state"); // no temporary file left
  }

  @Test
  void aTruncatedOrForeignStateFailsNamingTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("run.state");
    TrainingState.write(file, "pretrain", "k", out -> out.writeLong(7));
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(whole, whole.length - 3));
    assertThatThrownBy(() -> TrainingState.read(file, "pretrain", "k", in -> in.readLong()))
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("truncated training state (" + (whole.length - 3) + " bytes)");

    byte[] otherVersion = whole.clone();
    otherVersion[11] = 9; // the version's low byte, after the 8-byte magic
    Files.write(file, otherVersion);
    assertThatThrownBy(() -> TrainingState.read(file, "pretrain", "k", in -> in.readLong()))
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("training-state version 9, this build reads "
            + TrainingState.VERSION);

    Files.writeString(file, "not a state at all");
    assertThatThrownBy(() -> TrainingState.read(file, "pretrain", "k", in -> in.readLong()))
        .hasMessageStartingWith(file.toString())
        .hasMessageContaining("not a dnalab training state");
  }
}
