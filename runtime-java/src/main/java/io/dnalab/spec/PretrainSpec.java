package io.dnalab.spec;

import java.util.List;
import java.util.stream.LongStream;

/**
 * Whether, and how, the encoder is pretrained before fine-tuning: not at all ({@link None}), by
 * dnalab in the experiment ({@link Pretrain}), or by someone else ({@link Checkpoint}: a public
 * checkpoint, which brings its own architecture and tokenizer).
 */
public sealed interface PretrainSpec {

  /** A short stable name for tables. */
  String id();

  /** Random initialisation: the same architecture, no pretraining. */
  record None() implements PretrainSpec {
    @Override
    public String id() {
      return "none";
    }
  }

  /**
   * Pretraining of the encoder with {@code objective} on windows of {@code corpus}.
   *
   * @param steps optimizer steps
   * @param batchSize windows per step
   * @param windowLength bases per window (the tokenizer decides how many tokens that is)
   * @param learningRate AdamW peak rate, reached after {@code warmupSteps} of linear warm-up and
   *     followed by cosine decay to a tenth of it at {@code steps}
   * @param weightDecay AdamW decoupled weight decay on weight matrices
   * @param evalEvery held-out evaluation every this many steps (and always after the last)
   * @param evalWindows held-out windows per evaluation; the same windows every time
   * @param seed fixes initialisation, the windows of every step and their masks; the first
   *     pretraining seed
   * @param seeds how many pretraining runs, with seeds {@code seed}, {@code seed + 1}, … (see
   *     {@link #pretrainingSeeds}): each is its own stage, and every fine-tuning seed runs on
   *     every one of them, so a gain can take the pretraining seed as its unit of replication
   */
  record Pretrain(Objective objective, CorpusSpec corpus, int steps, int batchSize,
      int windowLength, double learningRate, int warmupSteps, double weightDecay, int evalEvery,
      int evalWindows, long seed, int seeds) implements PretrainSpec {

    /** The most pretraining seeds one spec may ask for. */
    public static final int MAX_SEEDS = 100;

    public Pretrain {
      if (objective == null) {
        throw new SpecException("pretrain.objective", "needs an objective, got null");
      }
      if (corpus == null) {
        throw new SpecException("pretrain.corpus", "needs a corpus, got null");
      }
      SpecException.inRange("pretrain.steps", steps, 1, 10_000_000);
      SpecException.inRange("pretrain.batchSize", batchSize, 1, 65_536);
      SpecException.inRange("pretrain.windowLength", windowLength, 8, 1 << 20);
      SpecException.positive("pretrain.learningRate", learningRate);
      SpecException.inRange("pretrain.warmupSteps", warmupSteps, 0, steps);
      if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
        throw new SpecException("pretrain.weightDecay",
            "must be a finite number >= 0, got " + weightDecay);
      }
      SpecException.inRange("pretrain.evalEvery", evalEvery, 1, steps);
      SpecException.inRange("pretrain.evalWindows", evalWindows, 1, 1_000_000);
      SpecException.inRange("pretrain.seeds", seeds, 1, MAX_SEEDS);
    }

    /** One pretraining run, with seed {@code seed}. */
    public Pretrain(Objective objective, CorpusSpec corpus, int steps, int batchSize,
        int windowLength, double learningRate, int warmupSteps, double weightDecay,
        int evalEvery, int evalWindows, long seed) {
      this(objective, corpus, steps, batchSize, windowLength, learningRate, warmupSteps,
          weightDecay, evalEvery, evalWindows, seed, 1);
    }

    /** The seeds of its pretraining runs: {@code seed}, {@code seed + 1}, …, {@code seeds} of them. */
    public List<Long> pretrainingSeeds() {
      return LongStream.range(seed, seed + seeds).boxed().toList();
    }

    /**
     * The single pretraining run with seed {@code pretrainingSeed}: what one pretraining stage
     * runs. Its JSON, and so its stage key, is that of a spec written before pretraining seeds
     * existed ({@code seeds} 1 is left out of the text), so the run of the first seed is the one
     * already stored.
     */
    public Pretrain run(long pretrainingSeed) {
      if (!pretrainingSeeds().contains(pretrainingSeed)) {
        throw new IllegalArgumentException("pretraining seed " + pretrainingSeed
            + " is not one of " + pretrainingSeeds());
      }
      return new Pretrain(objective, corpus, steps, batchSize, windowLength, learningRate,
          warmupSteps, weightDecay, evalEvery, evalWindows, pretrainingSeed, 1);
    }

    /** The same pretraining over {@code count} seeds from {@link #seed}. */
    public Pretrain withSeeds(int count) {
      return new Pretrain(objective, corpus, steps, batchSize, windowLength, learningRate,
          warmupSteps, weightDecay, evalEvery, evalWindows, seed, count);
    }

    /**
     * BERT-style defaults for a CPU-sized run: batch 32 of 512 bp, peak rate 5e-4, 6% warm-up,
     * weight decay 0.01, 20 evaluations over 256 held-out windows, seed 0.
     */
    public static Pretrain of(Objective objective, CorpusSpec corpus, int steps) {
      return new Pretrain(objective, corpus, steps, 32, 512, 5e-4,
          Math.max(1, steps * 6 / 100), 0.01, Math.max(1, steps / 20), 256, 0);
    }

    /** The same for every pretraining seed: the runs of all its seeds are one arm. */
    @Override
    public String id() {
      return objective.id() + "-" + corpus.name() + "-" + steps;
    }
  }

  /**
   * A public checkpoint (DNABERT-2 with its {@code tokenizer.json}; DNABERT and the Nucleotide
   * Transformer v1 with their {@code vocab.txt}) as an arm of the experiment. It brings its own architecture and tokenizer, so it does not combine with the
   * grid's {@code model}/{@code tokenizer} axes: each task gets a cell of the checkpoint's model
   * and tokenizer that starts from its weights ({@code pretrained}), and, when the experiment's
   * pretraining also holds {@link None}, a cell of the same model and tokenizer freshly
   * initialised by its family ({@link #randomTwin}, id {@code none}, so that the pretraining gain
   * pairs the two). The grid's models meanwhile run with its other pretraining regimes (e.g.
   * ConvNova from scratch beside DNABERT-2 and its twin). Both arms fine-tune with the model
   * family's default recipe, {@code finetune { … }} overrides applied.
   *
   * @param source the folder or hub id the checkpoint was named by (found again at plan time;
   *     the stage key holds its content hash, not this name)
   * @param model the architecture its {@code config.json} states
   * @param tokenizer its own tokenizer file, found in its folder when it was resolved: a {@link
   *     TokenizerSpec.FromFile} {@code tokenizer.json} or a {@link TokenizerSpec.VocabFile}
   * @param pretrained true for the checkpoint's weights, false for its random-init twin
   */
  record Checkpoint(String source, ModelSpec model, TokenizerSpec tokenizer, boolean pretrained)
      implements PretrainSpec {
    public Checkpoint {
      if (source == null || source.isBlank()) {
        throw new SpecException("pretrain.source",
            "a checkpoint needs a folder or a hub id such as zhihan1996/DNABERT-2-117M");
      }
      if (model == null) {
        throw new SpecException("pretrain.model", "checkpoint " + source
            + " needs the architecture its config.json states, got null");
      }
      if (!(tokenizer instanceof TokenizerSpec.FromFile)
          && !(tokenizer instanceof TokenizerSpec.VocabFile)) {
        throw new SpecException("pretrain.tokenizer", "checkpoint " + source
            + " needs its own tokenizer file (tokenizer.json or vocab.txt), got " + tokenizer);
      }
    }

    /** The same architecture and tokenizer, freshly initialised: the checkpoint's control arm. */
    public Checkpoint randomTwin() {
      return new Checkpoint(source, model, tokenizer, false);
    }

    /**
     * {@code checkpoint:NAME} (the hub id's name, or the folder's) for the pretrained arm;
     * {@code none} for its twin, which is random initialisation like any other.
     */
    @Override
    public String id() {
      if (!pretrained) {
        return "none";
      }
      String trimmed = source.replaceAll("[/\\\\]+$", "");
      return "checkpoint:" + trimmed.substring(Math.max(trimmed.lastIndexOf('/'),
          trimmed.lastIndexOf('\\')) + 1);
    }
  }
}
