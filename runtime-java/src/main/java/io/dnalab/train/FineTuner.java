package io.dnalab.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.dnalab.data.LabeledSequence;
import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.metrics.ClassificationMetrics;
import io.dnalab.model.EncoderClassifier;
import io.dnalab.model.InputVocabulary;
import io.dnalab.model.Models;
import io.dnalab.model.SequenceClassifier;
import io.dnalab.result.MetricSet;
import io.dnalab.result.Predictions;
import io.dnalab.spec.ModelSpec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains a model on a task's train split, from random initialisation or from a pretrained encoder
 * checkpoint ({@link io.dnalab.model.TokenEncoder#save}), the whole model or only its head
 * ({@link FineTuneConfig#freezeEncoder()}), keeps the parameters its selection rule picks on dev
 * (the best dev epoch by a metric, the lowest dev loss of evaluations every n steps, or the last
 * epoch: {@link FineTuneConfig#selection()}), and scores them on test. The model reads the ids of this fine-tuner's {@link SequenceEncoder} (its
 * {@link SequenceEncoder#vocabulary() vocabulary}).
 *
 * <p>One step: softmax cross-entropy on the batch, then the shared {@link TrainingLoop} (backward,
 * global-norm gradient clipping, AdamW with DJL's update rule, gradients zeroed). Batches are
 * assembled ahead on another thread ({@link Batches}).
 *
 * <p>Determinism: the engine seed fixes initialisation, {@code java.util.Random(seed, epoch)} the
 * order, the engine reseeded with (seed, step) before each step the dropout masks; on CPU with
 * the same thread count two runs with one seed give identical numbers (tested), and so does a run
 * killed and resumed from its {@link Checkpointing training state}.
 */
public final class FineTuner {
  /** Batches assembled ahead of the training thread. */
  private static final int PREFETCH = 4;

  private final SequenceEncoder encoder;
  private final Device device;

  public FineTuner(SequenceEncoder encoder, Device device) {
    this.encoder = encoder;
    this.device = device;
  }

  /** A fine-tuner on the engine's default device with single-nucleotide ids. */
  public static FineTuner nucleotide() {
    return new FineTuner(NucleotideEncoder.INSTANCE, DnalabEngine.startDefault());
  }

  /** A fine-tuner on the engine's default device reading a tokenizer's ids. */
  public static FineTuner of(io.dnalab.tokenize.Tokenizer tokenizer) {
    return new FineTuner(new TokenizerEncoder(tokenizer), DnalabEngine.startDefault());
  }

  public SequenceEncoder encoder() {
    return encoder;
  }

  /** Fine-tunes from random initialisation. */
  public FineTuneResult run(SequenceTask task, ModelSpec modelSpec, FineTuneConfig config,
      TrainingListener listener) {
    return run(task, modelSpec, null, config, listener);
  }

  /**
   * @param initialEncoder an encoder checkpoint of {@code modelSpec} over this fine-tuner's
   *     vocabulary, or null to start from random initialisation
   */
  public FineTuneResult run(SequenceTask task, ModelSpec modelSpec, Path initialEncoder,
      FineTuneConfig config, TrainingListener listener) {
    return run(task, modelSpec, initialEncoder, config, null, listener);
  }

  /** The {@link TrainingState} kind of a fine-tuning state. */
  public static final String STATE_KIND = "finetune";

  /**
   * Where a fine-tuning run keeps its training state so that a killed run resumes: every
   * {@code everySteps} optimizer steps the parameters, AdamW moments, step, epoch and position in
   * it, counters, dev history and the best epoch's parameters are written to {@code file}
   * ({@link TrainingState}, kind {@value #STATE_KIND}); a run that finds the file resumes from it
   * and ends with the parameters and metrics an uninterrupted run ends with (same device and
   * thread count). The caller removes the file once the result is stored.
   *
   * @param key identifies the run (the stage key): a state of another run is refused
   */
  public record Checkpointing(Path file, String key, int everySteps) {
    public Checkpointing {
      if (everySteps < 1) {
        throw new IllegalArgumentException("everySteps must be >= 1, got " + everySteps);
      }
    }
  }

  /**
   * @param checkpointing where to keep and find the training state, null to keep none
   */
  public FineTuneResult run(SequenceTask task, ModelSpec modelSpec, Path initialEncoder,
      FineTuneConfig config, Checkpointing checkpointing, TrainingListener listener) {
    return run(task, modelSpec, initialEncoder, config, checkpointing, listener, kept -> { });
  }

  /** As above; {@code keptParameters} receives a snapshot of the parameters the run kept. */
  public FineTuneResult run(SequenceTask task, ModelSpec modelSpec, Path initialEncoder,
      FineTuneConfig config, Checkpointing checkpointing, TrainingListener listener,
      Consumer<float[][]> keptParameters) {
    long runStart = System.nanoTime();
    if (task.train().isEmpty() || task.dev().isEmpty() || task.test().isEmpty()) {
      throw new IllegalArgumentException(task.name() + ": fine-tuning needs train, dev and test "
          + "examples, got " + task.train().size() + " / " + task.dev().size() + " / "
          + task.test().size());
    }
    // The recipe's token cap cuts every split the same way (DNABERT-2 truncates train, dev and
    // test in one SupervisedDataset); padding and vocabulary stay the encoder's.
    SequenceEncoder capped = encoder.capped(config.maxTokens());
    Batches.Encoded train = Batches.Encoded.of(trainSubset(task.train(), config), capped);
    Batches.Encoded dev = Batches.Encoded.of(task.dev(), capped);
    Batches.Encoded test = Batches.Encoded.of(task.test(), capped);
    int maxLength = Math.max(train.maxLength(), Math.max(dev.maxLength(), test.maxLength()));
    int stepsPerEpoch = Batches.count(train.size(), config.batchSize());
    long totalSteps = (long) stepsPerEpoch * config.epochs();

    try (Session session = new Session(modelSpec, encoder.vocabulary(), initialEncoder,
        task.numClasses(), maxLength, Math.min(config.batchSize(), train.size()), config,
        totalSteps, device)) {
      Progress progress = new Progress();
      if (checkpointing != null && Files.isRegularFile(checkpointing.file())) {
        TrainingState.read(checkpointing.file(), STATE_KIND, checkpointing.key(),
            in -> progress.read(in, session));
      }
      listener.onRunStart(task.name() + " " + modelSpec.id() + " s" + config.seed(),
          config.epochs(), totalSteps, session.parameterCount());
      double secondsBefore = progress.trainSeconds;
      boolean stepwise = config.evalEverySteps() > 0;
      boolean stopped = false;
      for (int epoch = progress.epoch; epoch <= config.epochs() && !stopped; epoch++) {
        progress.epoch = epoch;
        int[] order = Batches.shuffledOrder(train.size(), config.seed(), epoch);
        // A resumed epoch skips the batches it took already: batch b is order[b·B, (b+1)·B).
        int[] remaining = Arrays.copyOfRange(order,
            Math.min(order.length, progress.batchesDone * config.batchSize()), order.length);
        try (Batches.Prefetcher batches = Batches.prefetch(train, remaining, config.batchSize(),
            encoder.padId(), PREFETCH)) {
          while (batches.hasNext()) {
            double rate = session.learningRate();
            Batches.Batch batch = batches.next();
            progress.tokensSeen += realTokens(batch);
            double loss = session.step(batch);
            progress.batchesDone++;
            listener.onStep(epoch, session.steps(), totalSteps, loss, rate);
            boolean lastStep = session.steps() == totalSteps;
            // Step-based selection evaluates every n steps and after the last one (a run shorter
            // than n steps is still selected on dev); its evaluations do not stop early.
            if (stepwise && (session.steps() % config.evalEverySteps() == 0 || lastStep)) {
              selectOnDev(session, dev, config, progress, epoch, listener);
            }
            if (checkpointing != null && session.steps() % checkpointing.everySteps() == 0
                && session.steps() < totalSteps) {
              progress.trainSeconds = secondsBefore + (System.nanoTime() - runStart) / 1e9;
              TrainingState.write(checkpointing.file(), STATE_KIND, checkpointing.key(),
                  out -> progress.write(out, session));
              listener.onCheckpoint(session.steps(), checkpointing.file());
            }
          }
        }
        progress.epochsRun = epoch;
        progress.batchesDone = 0;
        if (!stepwise) {
          selectOnDev(session, dev, config, progress, epoch, listener);
          stopped = config.patience() > 0 && progress.sinceImprovement >= config.patience();
        }
      }
      double trainSeconds = secondsBefore + (System.nanoTime() - runStart) / 1e9;
      session.restore(progress.best);
      keptParameters.accept(session.snapshot());
      MetricSet bestDev = progress.history.get(progress.bestIndex);
      // Test first, as before predictions were kept, so its numbers come from the same calls;
      // the dev pass that follows only reads the kept parameters again for their predictions.
      Scored testScored = session.score(test, config.evalBatchSize(), encoder.padId());
      Scored devScored = session.score(dev, config.evalBatchSize(), encoder.padId());
      FineTuneResult result = new FineTuneResult(bestDev, testScored.metrics(), progress.history,
          progress.bestEpoch, progress.epochsRun, session.steps(), session.parameterCount(),
          train.size(), trainSeconds, secondsBefore + (System.nanoTime() - runStart) / 1e9,
          DnalabEngine.describe(device), progress.tokensSeen,
          Flops.training(modelSpec, session.model(), maxLength, progress.tokensSeen, 0),
          devScored.predictions("dev", dev, sequenceIds(task.dev())),
          testScored.predictions("test", test, sequenceIds(task.test())));
      listener.onRunEnd(result);
      return result;
    }
  }

  /**
   * Scores dev and keeps the parameters when the config's selection prefers them: the highest
   * selection metric, the lowest dev loss, or always (LAST_EPOCH: the last evaluation wins).
   */
  private void selectOnDev(Session session, Batches.Encoded dev, FineTuneConfig config,
      Progress progress, int epoch, TrainingListener listener) {
    MetricSet devMetrics = session.evaluate(dev, config.evalBatchSize(), encoder.padId());
    progress.history.add(devMetrics);
    double score = switch (config.selection()) {
      case BEST_DEV_METRIC -> devMetrics.get(config.selectionMetric());
      case BEST_DEV_LOSS -> -devMetrics.loss();
      case LAST_EPOCH -> progress.history.size();
    };
    boolean improved = score > progress.bestScore || progress.best == null;
    if (improved) {
      progress.bestScore = score;
      progress.bestEpoch = epoch;
      progress.bestIndex = progress.history.size() - 1;
      progress.best = session.snapshot();
      progress.sinceImprovement = 0;
    } else {
      progress.sinceImprovement++;
    }
    listener.onEpochEnd(epoch, devMetrics, improved);
  }

  /**
   * Where a fine-tuning run stands between two steps: what its training state holds besides the
   * model and optimizer.
   */
  private static final class Progress {
    int epoch = 1;
    /** Batches of {@link #epoch} already trained on. */
    int batchesDone;
    int epochsRun;
    long tokensSeen;
    double trainSeconds;
    final List<MetricSet> history = new ArrayList<>();
    float[][] best;
    double bestScore = Double.NEGATIVE_INFINITY;
    int bestEpoch;
    /** Index in {@link #history} of the kept evaluation. */
    int bestIndex;
    int sinceImprovement;

    void write(DataOutputStream out, Session session) throws IOException {
      out.writeInt(epoch);
      out.writeInt(batchesDone);
      out.writeInt(epochsRun);
      out.writeLong(tokensSeen);
      out.writeDouble(trainSeconds);
      out.writeInt(history.size());
      for (MetricSet metrics : history) {
        out.writeInt(metrics.examples());
        for (double value : new double[] {metrics.accuracy(), metrics.mcc(), metrics.macroF1(),
            metrics.auroc(), metrics.auprc(), metrics.loss()}) {
          out.writeDouble(value);
        }
      }
      out.writeDouble(bestScore);
      out.writeInt(bestEpoch);
      out.writeInt(bestIndex);
      out.writeInt(sinceImprovement);
      out.writeBoolean(best != null);
      if (best != null) {
        session.loop.writeSnapshot(out, best);
      }
      session.loop.save(out);
    }

    void read(DataInputStream in, Session session) throws IOException {
      epoch = in.readInt();
      batchesDone = in.readInt();
      epochsRun = in.readInt();
      tokensSeen = in.readLong();
      trainSeconds = in.readDouble();
      int epochs = in.readInt();
      for (int i = 0; i < epochs; i++) {
        history.add(new MetricSet(in.readInt(), in.readDouble(), in.readDouble(),
            in.readDouble(), in.readDouble(), in.readDouble(), in.readDouble()));
      }
      bestScore = in.readDouble();
      bestEpoch = in.readInt();
      bestIndex = in.readInt();
      sinceImprovement = in.readInt();
      best = in.readBoolean() ? session.loop.readSnapshot(in) : null;
      session.loop.load(in);
    }
  }

  /**
   * Writes a fine-tuned model's parameters ({@link Session#snapshot}, as {@link #run}'s
   * {@code keptParameters} gives them) for {@link #predict}.
   */
  public static void writeParameters(Path file, float[][] parameters) throws IOException {
    try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(
        Files.newOutputStream(file)))) {
      out.writeInt(parameters.length);
      for (float[] values : parameters) {
        TrainingState.writeFloats(out, values);
      }
    }
  }

  /**
   * Class probabilities of {@code sequences} by a fine-tuned model: the model of
   * {@code modelSpec} over this fine-tuner's vocabulary, built as {@link #run} built it (for
   * {@code numClasses} and inputs of up to {@code maxLength} ids), with the parameters of
   * {@code parameters} ({@link #writeParameters}). Scored in input order, {@code batchSize} at a
   * time, as a run scores its test split: the same batches give the same probabilities.
   *
   * @return (N, K) softmax probabilities, float32 as the model computed them
   * @throws IllegalArgumentException naming the first sequence (0-based) that encodes to more
   *     than {@code maxLength} ids
   */
  public float[][] predict(ModelSpec modelSpec, int numClasses, int maxLength, Path parameters,
      List<String> sequences, int batchSize) throws IOException {
    List<LabeledSequence> unlabelled = new ArrayList<>(sequences.size());
    // label 0 for all: score() needs labels for its loss, which nobody reads here
    sequences.forEach(sequence -> unlabelled.add(new LabeledSequence(sequence, 0)));
    Batches.Encoded encoded = Batches.Encoded.of(unlabelled, encoder);
    for (int i = 0; i < encoded.size(); i++) {
      if (encoded.ids()[i].length > maxLength) {
        throw new IllegalArgumentException("sequence " + (i + 1) + " (" + sequences.get(i)
            .length() + " bases) encodes to " + encoded.ids()[i].length + " ids, more than the "
            + maxLength + " of the longest the model was built for");
      }
    }
    FineTuneConfig config = FineTuneConfig.of(io.dnalab.spec.FinetuneSpec.defaults(), 1);
    try (Session session = new Session(modelSpec, encoder.vocabulary(), null, numClasses,
        maxLength, Math.max(1, Math.min(batchSize, encoded.size())), config, 1, device)) {
      try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
          Files.newInputStream(parameters)))) {
        session.restore(session.loop.readSnapshot(in));
      }
      double[][] probabilities = session.score(encoded, batchSize, encoder.padId())
          .probabilities();
      float[][] narrowed = new float[probabilities.length][];
      for (int i = 0; i < probabilities.length; i++) {
        narrowed[i] = new float[probabilities[i].length];
        for (int k = 0; k < narrowed[i].length; k++) {
          narrowed[i][k] = (float) probabilities[i][k]; // exact: float32 softmax outputs
        }
      }
      return narrowed;
    }
  }

  /** Non-padding tokens of a batch. */
  static long realTokens(Batches.Batch batch) {
    if (batch.mask() == null) {
      return (long) batch.size() * batch.length();
    }
    double sum = 0;
    for (float m : batch.mask()) {
      sum += m;
    }
    return Math.round(sum);
  }

  /**
   * A model with its optimizer state on one device: what a training loop needs, step by step.
   * {@link FineTuner#run} drives it over epochs; benchmarks drive it over fixed batches.
   */
  public static final class Session implements AutoCloseable {
    private final SequenceClassifier model;
    private final TrainingLoop loop;
    private final SoftmaxCrossEntropyLoss lossFunction = new SoftmaxCrossEntropyLoss("ce");
    private final LearningRateSchedule schedule;
    private final int numClasses;
    private final long seed;

    /** A session over single-nucleotide ids from random initialisation. */
    public Session(ModelSpec modelSpec, int numClasses, int maxLength, int batch,
        FineTuneConfig config, long totalSteps, Device device) {
      this(modelSpec, InputVocabulary.NUCLEOTIDE, null, numClasses, maxLength, batch, config,
          totalSteps, device);
    }

    /**
     * Seeds the engine with {@code config.seed()}, builds and initialises the model for
     * (batch, maxLength) input over {@code vocabulary}, replaces its encoder's parameters with
     * {@code initialEncoder}'s when given, freezes the encoder when the config asks, and sets up
     * AdamW with the config's schedule over {@code totalSteps} for the parameters left trainable.
     */
    public Session(ModelSpec modelSpec, InputVocabulary vocabulary, Path initialEncoder,
        int numClasses, int maxLength, int batch, FineTuneConfig config, long totalSteps,
        Device device) {
      this.numClasses = numClasses;
      this.seed = config.seed();
      this.schedule = config.scheduleFor(totalSteps);
      boolean touchesEncoder = initialEncoder != null || config.freezeEncoder();
      if (touchesEncoder && modelSpec instanceof ModelSpec.CnnBaseline) {
        throw new IllegalArgumentException(modelSpec.id() + " has no separate encoder to "
            + (initialEncoder != null ? "initialise from " + initialEncoder : "freeze"));
      }
      // Seeding starts the engine with its configured thread count before any array exists.
      DnalabEngine.seed(config.seed());
      NDManager root = NDManager.newBaseManager(device);
      model = Models.create(modelSpec, numClasses, maxLength, vocabulary);
      Models.initialize(model, root, batch, maxLength);
      if (touchesEncoder) {
        EncoderClassifier classifier = (EncoderClassifier) model;
        if (initialEncoder != null) {
          try {
            classifier.encoder().load(initialEncoder, root);
          } catch (IOException e) {
            root.close();
            throw new IllegalArgumentException("cannot initialise " + modelSpec.id()
                + " from encoder checkpoint: " + e.getMessage(), e);
          }
        }
        classifier.freezeEncoder(config.freezeEncoder());
      }
      loop = new TrainingLoop(root, model, new TrainingLoop.Settings(config.rule(),
          config.beta1(), config.beta2(), config.epsilon(), config.weightDecay(),
          config.gradientClipNorm(), false), modelSpec.id() + " s" + config.seed(),
          parameter -> TrainingLoop.decays(config.decayApplies(), parameter));
    }

    public SequenceClassifier model() {
      return model;
    }

    public long parameterCount() {
      return model.parameterCount();
    }

    /** Optimizer steps taken so far. */
    public long steps() {
      return loop.steps();
    }

    /** The learning rate the next step will use. */
    public double learningRate() {
      return schedule.at(loop.steps());
    }

    /**
     * One optimizer step on {@code batch}; returns the batch's mean loss. The engine is reseeded
     * with (seed, step) first, so dropout masks depend on the step only and a resumed run draws
     * the masks an uninterrupted one draws.
     */
    public double step(Batches.Batch batch) {
      double rate = learningRate();
      DnalabEngine.seed(Pretrainer.mixed(seed, loop.steps()));
      return loop.step(step -> {
        NDArray labels = step.create(batch.labels());
        NDArray logits = model.forward(loop.store(), inputs(step, batch), true).head(); // (B, K)
        return lossFunction.evaluate(new NDList(labels), new NDList(logits));
      }, rate);
    }

    /** Scores a split in order, without gradients; batch-norm uses its running statistics. */
    public MetricSet evaluate(Batches.Encoded split, int batchSize, int padId) {
      return score(split, batchSize, padId).metrics();
    }

    /**
     * Scores a split in order, without gradients, keeping each example's class probabilities
     * (softmax of the logits) beside the metrics.
     */
    public Scored score(Batches.Encoded split, int batchSize, int padId) {
      double[][] probabilities = new double[split.size()][];
      double lossSum = loop.evaluate(() -> {
        double sum = 0;
        int[] order = Batches.sequentialOrder(split.size());
        try (Batches.Prefetcher batches = Batches.prefetch(split, order, batchSize, padId,
            PREFETCH)) {
          int offset = 0;
          while (batches.hasNext()) {
            Batches.Batch batch = batches.next();
            try (NDManager step = loop.temporaries()) {
              NDArray logits = model.forward(loop.store(), inputs(step, batch), false).head();
              float[] p = logits.softmax(1).toType(DataType.FLOAT32, false).toFloatArray();
              for (int b = 0; b < batch.size(); b++) {
                double[] row = new double[numClasses];
                for (int k = 0; k < numClasses; k++) {
                  row[k] = p[b * numClasses + k];
                }
                probabilities[offset + b] = row;
                sum -= Math.log(Math.max(row[(int) batch.labels()[b]], 1e-12));
              }
              offset += batch.size();
            }
          }
        }
        return sum;
      });
      return new Scored(ClassificationMetrics.evaluate(split.labels(), probabilities,
          numClasses, lossSum / split.size()), probabilities);
    }

    /** A copy of every parameter (batch-norm statistics included). */
    public float[][] snapshot() {
      return loop.snapshot();
    }

    public void restore(float[][] values) {
      loop.restore(values);
    }

    @Override
    public void close() {
      loop.close();
    }
  }

  /**
   * A split scored: its metrics and the class probabilities behind them.
   *
   * @param probabilities (N, K) softmax probabilities per example, in split order (float32
   *     values widened to double)
   */
  public record Scored(MetricSet metrics, double[][] probabilities) {
    /** The per-example predictions of {@code split}, whose examples these are, in order. */
    public Predictions predictions(String splitName, Batches.Encoded split) {
      return predictions(splitName, split, null);
    }

    /**
     * As above, the examples named by {@code ids} (in split order); null names them by index.
     */
    public Predictions predictions(String splitName, Batches.Encoded split, List<String> ids) {
      float[][] narrowed = new float[probabilities.length][];
      for (int i = 0; i < probabilities.length; i++) {
        // exact: each value was a float32 softmax output
        narrowed[i] = new float[probabilities[i].length];
        for (int k = 0; k < narrowed[i].length; k++) {
          narrowed[i][k] = (float) probabilities[i][k];
        }
      }
      return ids == null ? Predictions.of(splitName, split.labels().clone(), narrowed)
          : Predictions.of(splitName, ids, split.labels().clone(), narrowed);
    }
  }

  /** Each example's id in its input, its index in the split where the input has none. */
  private static List<String> sequenceIds(List<LabeledSequence> split) {
    List<String> ids = new ArrayList<>(split.size());
    for (int i = 0; i < split.size(); i++) {
      ids.add(split.get(i).idOr(i));
    }
    return ids;
  }

  private static NDList inputs(NDManager manager, Batches.Batch batch) {
    Shape shape = new Shape(batch.size(), batch.length());
    NDArray ids = manager.create(batch.ids(), shape); // (B, L) int64
    if (batch.mask() == null) {
      return new NDList(ids);
    }
    return new NDList(ids, manager.create(batch.mask(), shape)); // + (B, L) float32
  }

  /**
   * The first {@code maxTrainExamples} of a fixed (seed 0) shuffle, so every model and seed
   * trains on the same subset.
   */
  public static List<LabeledSequence> trainSubset(List<LabeledSequence> train,
      FineTuneConfig config) {
    if (config.maxTrainExamples() == 0 || config.maxTrainExamples() >= train.size()) {
      return train;
    }
    int[] order = Batches.shuffledOrder(train.size(), 0, 0);
    List<LabeledSequence> subset = new ArrayList<>(config.maxTrainExamples());
    for (int i = 0; i < config.maxTrainExamples(); i++) {
      subset.add(train.get(order[i]));
    }
    return subset;
  }
}
