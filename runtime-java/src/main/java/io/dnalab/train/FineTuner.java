package io.dnalab.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.util.Pair;
import io.dnalab.data.LabeledSequence;
import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.metrics.ClassificationMetrics;
import io.dnalab.model.EncoderClassifier;
import io.dnalab.model.InputVocabulary;
import io.dnalab.model.Models;
import io.dnalab.model.SequenceClassifier;
import io.dnalab.result.MetricSet;
import io.dnalab.spec.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a model on a task's train split, from random initialisation or from a pretrained encoder
 * checkpoint ({@link io.dnalab.model.TokenEncoder#save}), the whole model or only its head
 * ({@link FineTuneConfig#freezeEncoder()}), keeps the parameters of the best dev epoch, and
 * scores them on test. The model reads the ids of this fine-tuner's {@link SequenceEncoder} (its
 * {@link SequenceEncoder#vocabulary() vocabulary}).
 *
 * <p>One step: forward in a per-step child {@link NDManager} (closed after the step, so no tensor
 * outlives it), softmax cross-entropy, backward, global-norm gradient clipping, fused AdamW
 * update, gradients zeroed. Batches are assembled ahead on another thread ({@link Batches}).
 *
 * <p>Determinism: the engine seed fixes initialisation, {@code java.util.Random(seed, epoch)} the
 * order; on CPU with the same thread count two runs with one seed give identical numbers (tested).
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
    long runStart = System.nanoTime();
    if (task.train().isEmpty() || task.dev().isEmpty() || task.test().isEmpty()) {
      throw new IllegalArgumentException(task.name() + ": fine-tuning needs train, dev and test "
          + "examples, got " + task.train().size() + " / " + task.dev().size() + " / "
          + task.test().size());
    }
    Batches.Encoded train = Batches.Encoded.of(trainSubset(task.train(), config), encoder);
    Batches.Encoded dev = Batches.Encoded.of(task.dev(), encoder);
    Batches.Encoded test = Batches.Encoded.of(task.test(), encoder);
    int maxLength = Math.max(train.maxLength(), Math.max(dev.maxLength(), test.maxLength()));
    int stepsPerEpoch = Batches.count(train.size(), config.batchSize());
    long totalSteps = (long) stepsPerEpoch * config.epochs();

    try (Session session = new Session(modelSpec, encoder.vocabulary(), initialEncoder,
        task.numClasses(), maxLength, Math.min(config.batchSize(), train.size()), config,
        totalSteps, device)) {
      listener.onRunStart(task.name() + " " + modelSpec.id() + " s" + config.seed(),
          config.epochs(), totalSteps, session.parameterCount());
      List<MetricSet> history = new ArrayList<>();
      float[][] best = null;
      double bestScore = Double.NEGATIVE_INFINITY;
      int bestEpoch = 0;
      int epochsRun = 0;
      int sinceImprovement = 0;
      long tokensSeen = 0;
      for (int epoch = 1; epoch <= config.epochs(); epoch++) {
        int[] order = Batches.shuffledOrder(train.size(), config.seed(), epoch);
        try (Batches.Prefetcher batches = Batches.prefetch(train, order, config.batchSize(),
            encoder.padId(), PREFETCH)) {
          while (batches.hasNext()) {
            double rate = session.learningRate();
            Batches.Batch batch = batches.next();
            tokensSeen += realTokens(batch);
            double loss = session.step(batch);
            listener.onStep(epoch, session.steps(), totalSteps, loss, rate);
          }
        }
        epochsRun = epoch;
        MetricSet devMetrics = session.evaluate(dev, config.evalBatchSize(), encoder.padId());
        history.add(devMetrics);
        double score = devMetrics.get(config.selectionMetric());
        boolean improved = score > bestScore || best == null;
        if (improved) {
          bestScore = score;
          bestEpoch = epoch;
          best = session.snapshot();
          sinceImprovement = 0;
        } else {
          sinceImprovement++;
        }
        listener.onEpochEnd(epoch, devMetrics, improved);
        if (config.patience() > 0 && sinceImprovement >= config.patience()) {
          break;
        }
      }
      double trainSeconds = (System.nanoTime() - runStart) / 1e9;
      session.restore(best);
      MetricSet bestDev = history.get(bestEpoch - 1);
      MetricSet testMetrics = session.evaluate(test, config.evalBatchSize(), encoder.padId());
      FineTuneResult result = new FineTuneResult(bestDev, testMetrics, history, bestEpoch,
          epochsRun, session.steps(), session.parameterCount(), train.size(), trainSeconds,
          (System.nanoTime() - runStart) / 1e9, DnalabEngine.describe(device), tokensSeen,
          Flops.training(modelSpec, session.model(), maxLength, tokensSeen, 0));
      listener.onRunEnd(result);
      return result;
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
    private final NDManager root;
    private final SequenceClassifier model;
    private final ParameterStore store;
    private final List<Parameter> trainable = new ArrayList<>();
    private final List<Parameter> all = new ArrayList<>();
    private final Optimizer decayed;
    private final Optimizer undecayed;
    private final SoftmaxCrossEntropyLoss lossFunction = new SoftmaxCrossEntropyLoss("ce");
    private final LearningRateSchedule schedule;
    private final double clipNorm;
    private final int numClasses;
    private long steps;

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
      this.root = NDManager.newBaseManager(device);
      this.numClasses = numClasses;
      this.schedule = config.scheduleFor(totalSteps);
      this.clipNorm = config.gradientClipNorm();
      boolean touchesEncoder = initialEncoder != null || config.freezeEncoder();
      if (touchesEncoder && modelSpec instanceof ModelSpec.CnnBaseline) {
        root.close();
        throw new IllegalArgumentException(modelSpec.id() + " has no separate encoder to "
            + (initialEncoder != null ? "initialise from " + initialEncoder : "freeze"));
      }
      DnalabEngine.seed(config.seed());
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
      store = new ParameterStore(root, false);
      for (Pair<String, Parameter> pair : model.getParameters()) {
        all.add(pair.getValue());
        if (pair.getValue().requiresGradient()) {
          trainable.add(pair.getValue());
        }
      }
      // DJL asks the tracker per parameter; every parameter gets the rate of the current step.
      ParameterTracker rate = (parameterId, numUpdate) -> (float) schedule.at(steps);
      decayed = AdamW.builder().optLearningRateTracker(rate)
          .optWeightDecays((float) config.weightDecay()).build();
      undecayed = AdamW.builder().optLearningRateTracker(rate).optWeightDecays(0f).build();
    }

    public SequenceClassifier model() {
      return model;
    }

    public long parameterCount() {
      return model.parameterCount();
    }

    /** Optimizer steps taken so far. */
    public long steps() {
      return steps;
    }

    /** The learning rate the next step will use. */
    public double learningRate() {
      return schedule.at(steps);
    }

    /** One optimizer step on {@code batch}; returns the batch's mean loss. */
    public double step(Batches.Batch batch) {
      try (NDManager step = root.newSubManager()) {
        NDList inputs = inputs(step, batch);
        NDArray labels = step.create(batch.labels());
        double lossValue;
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
          NDArray logits = model.forward(store, inputs, true).head(); // (B, K)
          NDArray loss = lossFunction.evaluate(new NDList(labels), new NDList(logits));
          collector.backward(loss);
          lossValue = loss.getFloat();
        }
        List<NDArray> gradients = new ArrayList<>(trainable.size());
        for (Parameter parameter : trainable) {
          NDArray gradient = parameter.getArray().getGradient();
          gradient.attach(step); // the handle (not the gradient buffer) is freed with the step
          gradients.add(gradient);
        }
        if (clipNorm > 0) {
          GradientClipping.clipGlobalNorm(gradients, clipNorm);
        }
        for (int i = 0; i < trainable.size(); i++) {
          Parameter parameter = trainable.get(i);
          Optimizer optimizer = decays(parameter) ? decayed : undecayed;
          optimizer.update(parameter.getId(), parameter.getArray(), gradients.get(i));
          JniUtils.zeroGrad((PtNDArray) parameter.getArray());
        }
        steps++;
        return lossValue;
      }
    }

    /** Scores a split in order, without gradients; batch-norm uses its running statistics. */
    public MetricSet evaluate(Batches.Encoded split, int batchSize, int padId) {
      double[][] probabilities = new double[split.size()][];
      double lossSum = 0;
      int[] order = Batches.sequentialOrder(split.size());
      boolean gradMode = JniUtils.isGradMode();
      JniUtils.setGradMode(false); // no autograd graph while scoring
      try (Batches.Prefetcher batches = Batches.prefetch(split, order, batchSize, padId,
          PREFETCH)) {
        int offset = 0;
        while (batches.hasNext()) {
          Batches.Batch batch = batches.next();
          try (NDManager step = root.newSubManager()) {
            NDArray logits = model.forward(store, inputs(step, batch), false).head();
            float[] p = logits.softmax(1).toType(DataType.FLOAT32, false).toFloatArray();
            for (int b = 0; b < batch.size(); b++) {
              double[] row = new double[numClasses];
              for (int k = 0; k < numClasses; k++) {
                row[k] = p[b * numClasses + k];
              }
              probabilities[offset + b] = row;
              lossSum -= Math.log(Math.max(row[(int) batch.labels()[b]], 1e-12));
            }
            offset += batch.size();
          }
        }
      } finally {
        JniUtils.setGradMode(gradMode);
      }
      return ClassificationMetrics.evaluate(split.labels(), probabilities, numClasses, lossSum / split.size());
    }

    /** A copy of every parameter (batch-norm statistics included). */
    public float[][] snapshot() {
      float[][] copy = new float[all.size()][];
      for (int i = 0; i < copy.length; i++) {
        copy[i] = all.get(i).getArray().toFloatArray();
      }
      return copy;
    }

    public void restore(float[][] values) {
      for (int i = 0; i < values.length; i++) {
        all.get(i).getArray().set(values[i]);
      }
    }

    @Override
    public void close() {
      root.close();
    }
  }

  /** Weight decay on conv / linear weights only: biases, norms, embeddings are left alone. */
  static boolean decays(Parameter parameter) {
    return parameter.getType() == Parameter.Type.WEIGHT && parameter.getArray().getShape()
        .dimension() >= 2 && !parameter.getName().endsWith("embedding");
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
  private static List<LabeledSequence> trainSubset(List<LabeledSequence> train,
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
