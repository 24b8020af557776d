package io.dnalab.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.dnalab.data.Corpus;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.model.InputVocabulary;
import io.dnalab.model.LanguageModel;
import io.dnalab.model.Models;
import io.dnalab.result.Cost;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.Objective;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.tokenize.IntList;
import io.dnalab.tokenize.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Pretrains a {@link LanguageModel} (encoder + token head) on corpus windows with one
 * {@link Objective}.
 *
 * <p>One step: the windows of step s (a pure function of seed and s, {@link Corpus}) are tokenized,
 * masked by {@link Masking} with a generator seeded by (seed, s) (next-token: unmasked, the
 * encoder runs causally), then framed by the special tokens the cell's fine-tuning puts around a
 * sequence ({@link SequenceEncoder#of}: {@code [CLS] … [SEP]} for BPE, k-mer and file tokenizers,
 * none for single nucleotides), so a classifier that pools [CLS] pools a token pretraining
 * trained; then padded to the longest window of the batch. Masking draws on the window's own
 * tokens only (special tokens are never masked, and the draws are those of unframed windows);
 * the model predicts every position and cross-entropy is taken on the masked positions only
 * (next-token: position t predicts token t+1, for every t whose successor is a real, non-special
 * token: [CLS] predicts the first token, nothing predicts [SEP]). Then global-norm
 * clipping (1.0), {@link AdamWOptimizer} (β 0.9/0.98, ε 1e-6, RoBERTa's pretraining values; weight decay
 * on weight matrices only) with linear warm-up and cosine decay to 0.1 × peak. The engine is
 * reseeded with (seed, s) before each step so dropout masks, too, depend on the step only.
 *
 * <p>Evaluation every {@code evalEvery} steps and after the last: the held-out windows (the same
 * for every run of the corpus), masked once with a fixed generator (RandomMask as at its last
 * stage), scored without dropout: mean loss and top-1 accuracy on the masked positions. Next to
 * it, the unigram baseline on exactly those positions: predict every token from the token
 * frequencies of 512 training windows (add-one smoothed), loss = cross-entropy of that
 * distribution, accuracy = how often the most frequent token is right.
 *
 * <p>The step itself (backward, clipping, AdamW, zero-grad) is the shared {@link TrainingLoop}'s.
 *
 * <p>Checkpoints ({@link PretrainCheckpoints}, or a state file the caller names in
 * {@link #train}): a finished run with the same key is reused without training; every
 * {@code checkpointEvery} steps the model, optimizer moments, step, curve and counters are
 * written atomically ({@link TrainingState}), and a new run with the same key resumes from them
 * and continues exactly as an uninterrupted run (on the same device and thread count).
 */
public final class Pretrainer {
  private static final double CLIP_NORM = 1.0;
  private static final double BETA1 = 0.9;
  private static final double BETA2 = 0.98;
  private static final double EPSILON = 1e-6;
  private static final double MIN_LR_FRACTION = 0.1;
  private static final int BASELINE_WINDOWS = 512;
  private static final long BASELINE_SEED = 0xBA5E11AEL;
  private static final long EVAL_MASK_SEED = 0xE7A1L;
  private static final long MASK_SALT = 0x3A5C0FFEEL;

  private final Device device;
  private final PretrainCheckpoints checkpoints;
  private final int checkpointEvery;

  /**
   * @param checkpoints where finished and partial checkpoints live, or null to keep none
   * @param checkpointEvery steps between partial checkpoints; 0 for none
   */
  public Pretrainer(Device device, PretrainCheckpoints checkpoints, int checkpointEvery) {
    this.device = device;
    this.checkpoints = checkpoints;
    this.checkpointEvery = checkpointEvery;
  }

  /** Everything a run reads besides the spec. */
  public record Inputs(Tokenizer tokenizer, TokenizerSpec tokenizerSpec, ModelSpec model,
      Corpus corpus, Map<String, String> genomeSha256) {}

  /** The checkpoint key of a run. */
  public static String key(PretrainSpec.Pretrain spec, Inputs inputs) {
    return PretrainCheckpoints.key(canonicalInputs(spec, inputs));
  }

  private static String canonicalInputs(PretrainSpec.Pretrain spec, Inputs inputs) {
    return PretrainCheckpoints.inputs(inputs.tokenizerSpec(), tokenizerSha256(inputs.tokenizer()),
        inputs.model(), spec, inputs.genomeSha256());
  }

  /** sha256 of the tokenizer as Hugging Face tokenizer.json (what a trained BPE learned). */
  static String tokenizerSha256(Tokenizer tokenizer) {
    try {
      Path file = Files.createTempFile("dnalab-tokenizer", ".json");
      try {
        tokenizer.save(file);
        return io.dnalab.data.DataFiles.sha256OfBytes(file);
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public PretrainResult run(PretrainSpec.Pretrain spec, Inputs inputs,
      TrainingListener listener) {
    String canonical = canonicalInputs(spec, inputs);
    String key = PretrainCheckpoints.key(canonical);
    if (checkpoints != null) {
      var done = checkpoints.finished(key);
      if (done.isPresent()) {
        PretrainResult reused = done.get().asReused();
        listener.onPretrainEnd(reused);
        return reused;
      }
    }
    try (Run run = new Run(spec, inputs, key)) {
      PretrainResult result = run.train(checkpoints == null ? null : checkpoints.partialFile(key),
          listener);
      if (checkpoints != null) {
        try {
          checkpoints.writeFinished(key, canonical, run.model.encoder(), result);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write checkpoint " + checkpoints.folder(key)
              + ": " + e.getMessage(), e);
        }
        result = new PretrainResult(key, checkpoints.encoderFile(key), result.curve(),
            result.heldOut(), result.baseline(), result.cost(), false);
      }
      listener.onPretrainEnd(result);
      return result;
    }
  }

  /**
   * Pretrains without a {@link PretrainCheckpoints} store, for a caller that keeps the files
   * itself (the experiment engine's artifact store): resumes from {@code stateFile} when it
   * exists and rewrites it every {@code checkpointEvery} steps ({@link TrainingState}, kind
   * {@value #STATE_KIND}); at the end saves the encoder to {@code encoderFile}, once. The state
   * file is left for the caller to remove when the encoder is safely stored.
   */
  public PretrainResult train(PretrainSpec.Pretrain spec, Inputs inputs, Path stateFile,
      Path encoderFile, TrainingListener listener) {
    String key = key(spec, inputs);
    try (Run run = new Run(spec, inputs, key)) {
      PretrainResult result = run.train(stateFile, listener);
      try {
        run.model.encoder().save(encoderFile);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + encoderFile + ": " + e.getMessage(), e);
      }
      result = new PretrainResult(key, encoderFile, result.curve(), result.heldOut(),
          result.baseline(), result.cost(), false);
      listener.onPretrainEnd(result);
      return result;
    }
  }

  /** The {@link TrainingState} kind of a pretraining state. */
  public static final String STATE_KIND = "pretrain";

  /** A padded batch: ids and mask (B, L), the flat positions to predict and their targets. */
  record Batch(long[] ids, float[] mask, int size, int length, long[] positions, long[] targets,
      long realTokens) {}

  /** One pretraining run's model, optimizer and counters. */
  private final class Run implements AutoCloseable {
    final PretrainSpec.Pretrain spec;
    final Inputs inputs;
    final String key;
    final LanguageModel model;
    final TrainingLoop loop;
    final LearningRateSchedule schedule;
    final Masking masking;
    /** Special ids around every window: the template the cell's fine-tuning encoder uses. */
    final int[] framePrefix;
    final int[] frameSuffix;
    final SoftmaxCrossEntropyLoss lossFunction = new SoftmaxCrossEntropyLoss("ce");
    final List<PretrainResult.CurvePoint> curve = new ArrayList<>();
    long step;
    long tokensSeen;
    double secondsBefore;
    double trainLossSum;
    long trainLossCount;

    Run(PretrainSpec.Pretrain spec, Inputs inputs, String key) {
      this.spec = spec;
      this.inputs = inputs;
      this.key = key;
      NDManager root = NDManager.newBaseManager(device);
      DnalabEngine.seed(spec.seed());
      InputVocabulary vocabulary = InputVocabulary.of(inputs.tokenizer());
      model = Models.createLanguageModel(inputs.model(), vocabulary);
      if (spec.objective() instanceof Objective.NextToken) {
        model.encoder().setCausal(true);
      }
      Models.initialize(model, root, spec.batchSize(), spec.windowLength());
      loop = new TrainingLoop(root, model, new TrainingLoop.Settings(AdamWOptimizer.Rule.TORCH,
          BETA1, BETA2, EPSILON, spec.weightDecay(), CLIP_NORM, true), spec.id());
      schedule = LearningRateSchedule.warmupCosine(spec.learningRate(),
          Math.max(1, spec.warmupSteps()), spec.steps(), MIN_LR_FRACTION);
      masking = spec.objective().masked() ? new Masking(spec.objective(), inputs.tokenizer())
          : null;
      SequenceEncoder fineTuning = SequenceEncoder.of(inputs.tokenizerSpec(), inputs.tokenizer());
      framePrefix = fineTuning.specialTokensBefore();
      frameSuffix = fineTuning.specialTokensAfter();
    }

    /** Trains to the last step, resuming from and writing {@code partial} unless it is null. */
    PretrainResult train(Path partial, TrainingListener listener) {
      long start = System.nanoTime();
      if (partial != null && Files.isRegularFile(partial)) {
        restore(partial);
      }
      Corpus corpus = inputs.corpus();
      List<Batch> evaluation = evaluationBatches(corpus);
      double[] unigram = unigramLogProbabilities(corpus);
      PretrainResult.Metrics baseline = baseline(evaluation, unigram);
      listener.onRunStart(spec.id() + " " + inputs.model().id() + " "
          + inputs.tokenizerSpec().id(), 1, spec.steps(), model.parameterCount());
      PretrainResult.Metrics heldOut = null;
      while (step < spec.steps()) {
        byte[][] windows = corpus.trainingWindows(spec.seed(), step, spec.batchSize(),
            spec.windowLength());
        Batch batch = batch(windows, step,
            new SplittableRandom(mixed(spec.seed() ^ MASK_SALT, step)));
        DnalabEngine.seed(mixed(spec.seed(), step)); // dropout masks depend on the step only
        double lr = schedule.at(step);
        double loss = step(batch, lr);
        step++;
        tokensSeen += batch.realTokens();
        trainLossSum += loss;
        trainLossCount++;
        listener.onStep(1, step, spec.steps(), loss, lr);
        if (step % spec.evalEvery() == 0 || step == spec.steps()) {
          double trainLoss = trainLossSum / trainLossCount;
          heldOut = evaluate(evaluation);
          curve.add(new PretrainResult.CurvePoint(step, "train", trainLoss, Double.NaN));
          curve.add(new PretrainResult.CurvePoint(step, "heldout", heldOut.loss(),
              heldOut.accuracy()));
          trainLossSum = 0;
          trainLossCount = 0;
          listener.onPretrainEvaluation(step, trainLoss, heldOut, baseline);
        }
        if (partial != null && checkpointEvery > 0 && step % checkpointEvery == 0
            && step < spec.steps()) {
          save(partial, secondsBefore + (System.nanoTime() - start) / 1e9);
          listener.onCheckpoint(step, partial);
        }
      }
      if (heldOut == null) { // resumed from a state written after the last step's evaluation
        heldOut = evaluate(evaluation);
      }
      double seconds = secondsBefore + (System.nanoTime() - start) / 1e9;
      int tokensPerWindow = (int) Math.max(1, tokensSeen / Math.max(1,
          (long) spec.steps() * spec.batchSize()));
      double flops = Flops.training(inputs.model(), model.encoder(), tokensPerWindow, tokensSeen,
          Flops.languageModelHeadPerToken(model.encoder().hiddenSize(),
              model.encoder().vocabulary().size()));
      Cost cost = new Cost(model.parameterCount(), tokensSeen, seconds,
          DnalabEngine.describe(device), flops);
      return new PretrainResult(key, null, curve, heldOut, baseline, cost, false);
    }

    /** One optimizer step; returns the batch's mean loss over predicted positions. */
    double step(Batch batch, double lr) {
      return loop.step(temporaries -> loss(temporaries, batch, true, null), lr);
    }

    /**
     * Mean cross-entropy over the batch's predicted positions; {@code correct}, when given,
     * receives the number of top-1 hits.
     */
    NDArray loss(NDManager manager, Batch batch, boolean training, long[] correct) {
      Shape shape = new Shape(batch.size(), batch.length());
      NDList inputsList = new NDList(manager.create(batch.ids(), shape), // (B, L) int64
          manager.create(batch.mask(), shape)); // (B, L) float32
      NDArray logits = model.forward(loop.store(), inputsList, training).head(); // (B, L, V)
      long vocab = logits.getShape().get(2);
      NDArray picked = logits.reshape(-1, vocab).get(manager.create(batch.positions())); // (N, V)
      NDArray targets = manager.create(batch.targets()); // (N)
      if (correct != null) {
        correct[0] += picked.argMax(1).eq(targets).sum().getLong();
      }
      return lossFunction.evaluate(new NDList(targets), new NDList(picked));
    }

    PretrainResult.Metrics evaluate(List<Batch> batches) {
      return loop.evaluate(() -> {
        double lossSum = 0;
        long[] correct = new long[1];
        long positions = 0;
        for (Batch batch : batches) {
          try (NDManager temporaries = loop.temporaries()) {
            double loss = loss(temporaries, batch, false, correct).getFloat();
            lossSum += loss * batch.positions().length;
            positions += batch.positions().length;
          }
        }
        return new PretrainResult.Metrics(lossSum / positions, (double) correct[0] / positions,
            positions);
      });
    }

    List<Batch> evaluationBatches(Corpus corpus) {
      byte[][] windows = corpus.validationWindows(spec.evalWindows(), spec.windowLength());
      SplittableRandom random = new SplittableRandom(EVAL_MASK_SEED);
      List<Batch> batches = new ArrayList<>();
      for (int from = 0; from < windows.length; from += spec.batchSize()) {
        byte[][] chunk = java.util.Arrays.copyOfRange(windows, from,
            Math.min(windows.length, from + spec.batchSize()));
        batches.add(batch(chunk, spec.steps() - 1L, random));
      }
      return batches;
    }

    double[] unigramLogProbabilities(Corpus corpus) {
      int vocab = inputs.tokenizer().vocabSize();
      double[] counts = new double[vocab];
      java.util.Arrays.fill(counts, 1.0); // add-one smoothing
      IntList ids = new IntList(spec.windowLength() + 8);
      for (byte[] window : corpus.trainingWindows(BASELINE_SEED, 0, BASELINE_WINDOWS,
          spec.windowLength())) {
        ids.clear();
        inputs.tokenizer().encodeTo(window, 0, window.length, ids);
        for (int i = 0; i < ids.size(); i++) {
          counts[ids.get(i)]++;
        }
      }
      double total = java.util.Arrays.stream(counts).sum();
      double[] logP = new double[vocab];
      for (int id = 0; id < vocab; id++) {
        logP[id] = Math.log(counts[id] / total);
      }
      return logP;
    }

    PretrainResult.Metrics baseline(List<Batch> batches, double[] logP) {
      int best = 0;
      for (int id = 1; id < logP.length; id++) {
        if (logP[id] > logP[best]) {
          best = id;
        }
      }
      double loss = 0;
      long hits = 0;
      long positions = 0;
      for (Batch batch : batches) {
        for (long target : batch.targets()) {
          loss -= logP[(int) target];
          hits += target == best ? 1 : 0;
          positions++;
        }
      }
      return new PretrainResult.Metrics(loss / positions, (double) hits / positions, positions);
    }

    /** Tokenizes, masks (or shifts, for next-token) and pads windows into one batch. */
    Batch batch(byte[][] windows, long atStep, SplittableRandom random) {
      int size = windows.length;
      int[][] input = new int[size][];
      int[][] targets = new int[size][];
      IntList ids = new IntList(spec.windowLength() + 8);
      int length = 1;
      long realTokens = 0;
      for (int b = 0; b < size; b++) {
        ids.clear();
        inputs.tokenizer().encodeTo(windows[b], 0, windows[b].length, ids);
        int[] tokens = ids.toArray();
        if (masking != null) {
          Masking.Masked masked = masking.mask(tokens, atStep, spec.steps(), random);
          input[b] = framedInput(masked.input());
          targets[b] = framedTargets(masked.targets());
        } else {
          input[b] = framedInput(tokens);
          targets[b] = new int[input[b].length];
          int lastToken = framePrefix.length + tokens.length - 1; // [SEP] is never a target
          for (int t = 0; t < input[b].length; t++) {
            targets[b][t] = t < lastToken ? input[b][t + 1] : -1;
          }
        }
        length = Math.max(length, input[b].length);
        realTokens += input[b].length;
      }
      int pad = inputs.tokenizer().specialTokens().pad();
      long[] flatIds = new long[size * length];
      float[] mask = new float[size * length];
      java.util.Arrays.fill(flatIds, pad);
      IntList positions = new IntList();
      IntList targetIds = new IntList();
      for (int b = 0; b < size; b++) {
        for (int t = 0; t < input[b].length; t++) {
          flatIds[b * length + t] = input[b][t];
          mask[b * length + t] = 1f;
          if (targets[b][t] >= 0) {
            positions.add(b * length + t);
            targetIds.add(targets[b][t]);
          }
        }
      }
      if (positions.size() == 0) {
        throw new IllegalStateException("a batch of " + spec.windowLength() + "-base windows"
            + " gave no position to predict; use longer windows");
      }
      long[] flatPositions = new long[positions.size()];
      long[] flatTargets = new long[positions.size()];
      for (int i = 0; i < flatPositions.length; i++) {
        flatPositions[i] = positions.get(i);
        flatTargets[i] = targetIds.get(i);
      }
      return new Batch(flatIds, mask, size, length, flatPositions, flatTargets, realTokens);
    }

    /** A window's ids between the frame's special ids: (n) -> (prefix + n + suffix). */
    int[] framedInput(int[] ids) {
      return frame(ids, framePrefix, frameSuffix);
    }

    /** A window's targets with -1 ("predict nothing") at the frame's special positions. */
    int[] framedTargets(int[] targets) {
      int[] none = new int[framePrefix.length];
      java.util.Arrays.fill(none, -1);
      int[] noneAfter = new int[frameSuffix.length];
      java.util.Arrays.fill(noneAfter, -1);
      return frame(targets, none, noneAfter);
    }

    /** Writes model, optimizer, step, counters and curve, atomically. */
    void save(Path file, double seconds) {
      TrainingState.write(file, STATE_KIND, key, out -> {
        out.writeLong(step);
        out.writeLong(tokensSeen);
        out.writeDouble(seconds);
        out.writeDouble(trainLossSum);
        out.writeLong(trainLossCount);
        out.writeInt(curve.size());
        for (PretrainResult.CurvePoint point : curve) {
          out.writeLong(point.step());
          out.writeUTF(point.split());
          out.writeDouble(point.loss());
          out.writeDouble(point.accuracy());
        }
        loop.save(out);
      });
    }

    void restore(Path file) {
      TrainingState.read(file, STATE_KIND, key, in -> {
        step = in.readLong();
        tokensSeen = in.readLong();
        secondsBefore = in.readDouble();
        trainLossSum = in.readDouble();
        trainLossCount = in.readLong();
        int points = in.readInt();
        for (int i = 0; i < points; i++) {
          curve.add(new PretrainResult.CurvePoint(in.readLong(), in.readUTF(), in.readDouble(),
              in.readDouble()));
        }
        loop.load(in);
        if (loop.steps() != step) {
          throw new IOException("optimizer at step " + loop.steps() + ", run at step " + step);
        }
      });
    }

    @Override
    public void close() {
      loop.close();
    }
  }

  /** {@code prefix}, {@code ids}, {@code suffix} in one array; {@code ids} itself when both are empty. */
  static int[] frame(int[] ids, int[] prefix, int[] suffix) {
    if (prefix.length == 0 && suffix.length == 0) {
      return ids;
    }
    int[] out = new int[prefix.length + ids.length + suffix.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(ids, 0, out, prefix.length, ids.length);
    System.arraycopy(suffix, 0, out, prefix.length + ids.length, suffix.length);
    return out;
  }

  /** SplitMix64 mixing of a seed and a step. */
  static long mixed(long seed, long step) {
    long z = seed * 0x9E3779B97F4A7C15L + step + 0x632BE59BD9B4E019L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
