package io.dnalab.spec;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a model is fine-tuned: optimiser, learning-rate schedule, clipping, batch, epochs, token cap
 * and which parameters are kept. A value named after its source ({@link Recipes} holds the
 * published ones); some numbers may depend on the task ({@link #taskRules}), and
 * {@link #forTask} resolves them, giving the recipe a run actually uses (no task rules left).
 *
 * @param name a short name for tables and the plan ({@code dnabert2-gue})
 * @param source where the numbers come from (a file of the authors' code), for people
 * @param optimizer AdamW (decoupled weight decay), plain Adam (no decay) or DJL's AdamW
 * @param learningRate the peak learning rate
 * @param beta1 first-moment decay
 * @param beta2 second-moment decay
 * @param epsilon added to the root of the second moment
 * @param weightDecay decoupled weight decay (AdamW); 0 with {@link Optimizer#ADAM}
 * @param decayApplies which parameters weight decay applies to
 * @param schedule the learning-rate schedule
 * @param clipNorm the global L2 norm gradients are scaled down to (0 = no clipping)
 * @param batchSize examples per optimizer step
 * @param epochs passes over the training split
 * @param maxTokens the token cap of a tokenised sequence (the DNABERT-2 scripts'
 *     {@code model_max_length}); 0 = no cap. Recorded for every cell, see {@link Recipes}
 * @param selection which parameters the run keeps and scores on test
 * @param taskRules per-task numbers, the first rule whose pattern matches a task's id wins
 */
public record Recipe(String name, String source, Optimizer optimizer, double learningRate,
    double beta1, double beta2, double epsilon, double weightDecay, DecayApplies decayApplies,
    Schedule schedule, double clipNorm, int batchSize, int epochs, int maxTokens,
    Selection selection, List<TaskRule> taskRules) {

  /** The update rule. */
  public enum Optimizer {
    /** Adam with decoupled weight decay (Loshchilov &amp; Hutter), {@code torch.optim.AdamW}. */
    ADAMW,
    /** Plain Adam, no weight decay ({@code torch.optim.Adam} with its defaults). */
    ADAM,
    /**
     * AdamW with DJL's update rule (ε added before the bias correction): dnalab 0.1's optimiser,
     * kept so its numbers can be asked for bit for bit.
     */
    ADAMW_DJL
  }

  /** Which parameters weight decay applies to. */
  public enum DecayApplies {
    /** Every trainable parameter (what an optimiser does when no parameter groups are set). */
    ALL,
    /**
     * All but biases and LayerNorm weights: Hugging Face {@code Trainer}'s grouping
     * ({@code get_decay_parameter_names} leaves out {@code "bias"} and every LayerNorm
     * parameter); embeddings decay.
     */
    NOT_BIAS_OR_NORM,
    /**
     * Convolution and linear weights only (rank ≥ 2, not embeddings): what dnalab 0.1 did for
     * every model. Kept so a run that asks for 0.1's fine-tuning gets its numbers bit for bit.
     */
    MATRIX_WEIGHTS,
    /** No parameter decays. */
    NONE
  }

  /**
   * The learning rate per optimizer step.
   *
   * @param kind the shape
   * @param warmupFraction fraction of all steps spent warming up ({@link Kind#WARMUP_COSINE})
   * @param warmupSteps steps of linear warm-up ({@link Kind#LINEAR_DECAY})
   * @param floorFraction the cosine's end as a fraction of the peak ({@link Kind#WARMUP_COSINE})
   */
  public record Schedule(Kind kind, double warmupFraction, int warmupSteps,
      double floorFraction) {

    public enum Kind {
      /** Linear warm-up over a fraction of the steps, then half a cosine down to a floor. */
      WARMUP_COSINE,
      /** Hugging Face {@code get_linear_schedule_with_warmup}: up in n steps, down to 0. */
      LINEAR_DECAY,
      /** The peak at every step. */
      CONSTANT
    }

    public Schedule {
      if (kind == null) {
        throw new SpecException("recipe.schedule", "needs a kind, got null");
      }
      if (!(warmupFraction >= 0 && warmupFraction < 1)) {
        throw new SpecException("recipe.schedule.warmupFraction",
            "must be in [0, 1), got " + warmupFraction);
      }
      SpecException.inRange("recipe.schedule.warmupSteps", warmupSteps, 0, Integer.MAX_VALUE);
      if (!(floorFraction >= 0 && floorFraction <= 1)) {
        throw new SpecException("recipe.schedule.floorFraction",
            "must be in [0, 1], got " + floorFraction);
      }
    }

    public static Schedule warmupCosine(double warmupFraction, double floorFraction) {
      return new Schedule(Kind.WARMUP_COSINE, warmupFraction, 0, floorFraction);
    }

    public static Schedule linearDecay(int warmupSteps) {
      return new Schedule(Kind.LINEAR_DECAY, 0, warmupSteps, 0);
    }

    public static Schedule constant() {
      return new Schedule(Kind.CONSTANT, 0, 0, 0);
    }

    /** {@code cosine 1% warm-up, floor 0.1}, {@code linear 50 warm-up}, {@code constant}. */
    public String describe() {
      return switch (kind) {
        case WARMUP_COSINE -> String.format(Locale.ROOT, "cosine %s%% warm-up, floor %s",
            trim(warmupFraction * 100), trim(floorFraction));
        case LINEAR_DECAY -> "linear " + warmupSteps + " warm-up";
        case CONSTANT -> "constant";
      };
    }
  }

  /**
   * Which parameters a run keeps and scores on test.
   *
   * @param kind the rule
   * @param everySteps evaluate on dev every this many optimizer steps (and after the last step);
   *     0 = at the end of each epoch
   * @param metric the dev metric that picks ({@link Kind#BEST_DEV_METRIC}; higher is better)
   */
  public record Selection(Kind kind, int everySteps, String metric) {

    public enum Kind {
      /** The evaluation with the lowest dev loss (Hugging Face's default for best model). */
      BEST_DEV_LOSS,
      /** The evaluation with the highest dev {@link Selection#metric}. */
      BEST_DEV_METRIC,
      /** The parameters after the last epoch, whatever dev says. */
      LAST_EPOCH
    }

    public Selection {
      if (kind == null) {
        throw new SpecException("recipe.selection", "needs a kind, got null");
      }
      SpecException.inRange("recipe.selection.everySteps", everySteps, 0, Integer.MAX_VALUE);
      if (kind == Kind.BEST_DEV_METRIC && (metric == null || metric.isBlank())) {
        throw new SpecException("recipe.selection.metric",
            "BEST_DEV_METRIC needs a metric name, got " + metric);
      }
    }

    public static Selection bestDevLossEvery(int steps) {
      return new Selection(Kind.BEST_DEV_LOSS, steps, "loss");
    }

    public static Selection bestDevMetricPerEpoch(String metric) {
      return new Selection(Kind.BEST_DEV_METRIC, 0, metric);
    }

    public static Selection lastEpoch() {
      return new Selection(Kind.LAST_EPOCH, 0, "none");
    }
  }

  /**
   * Numbers that differ for some tasks; null keeps the recipe's.
   *
   * @param tasks a regular expression the whole task id ({@code gue/prom_core_tata}) must match
   */
  public record TaskRule(String tasks, Integer epochs, Integer batchSize, Integer warmupSteps,
      Integer maxTokens, Integer evalEverySteps) {
    public TaskRule {
      try {
        Pattern.compile(tasks);
      } catch (PatternSyntaxException | NullPointerException e) {
        throw new SpecException("recipe.taskRules.tasks",
            "must be a regular expression over task ids, got " + tasks);
      }
    }

    boolean matches(String taskId) {
      return Pattern.matches(tasks, taskId);
    }
  }

  public Recipe {
    if (name == null || name.isBlank()) {
      throw new SpecException("recipe.name", "a recipe needs a name, got \"" + name + "\"");
    }
    source = source == null ? "" : source;
    if (optimizer == null || decayApplies == null || schedule == null || selection == null) {
      throw new SpecException("recipe", name + ": optimizer, decayApplies, schedule and "
          + "selection are required");
    }
    SpecException.positive("recipe.lr", learningRate);
    for (double beta : new double[] {beta1, beta2}) {
      if (!(beta >= 0 && beta < 1)) {
        throw new SpecException("recipe.betas", name + ": must be in [0, 1), got " + beta);
      }
    }
    SpecException.positive("recipe.epsilon", epsilon);
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new SpecException("recipe.weightDecay",
          "must be a finite number >= 0, got " + weightDecay);
    }
    if (optimizer == Optimizer.ADAM && weightDecay != 0) {
      throw new SpecException("recipe.weightDecay", name + ": plain Adam takes no decoupled "
          + "weight decay, got " + weightDecay + "; use ADAMW");
    }
    if (!(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new SpecException("recipe.clipNorm", "must be a finite number >= 0, got " + clipNorm);
    }
    SpecException.inRange("recipe.batchSize", batchSize, 1, 65_536);
    SpecException.inRange("recipe.epochs", epochs, 1, 10_000);
    SpecException.inRange("recipe.maxTokens", maxTokens, 0, Integer.MAX_VALUE);
    taskRules = taskRules == null ? List.of() : List.copyOf(taskRules);
  }

  /**
   * The recipe for {@code task}: the numbers of the first task rule that matches its id in place
   * of the recipe's, and no rules left. The name stays: it says where the numbers came from.
   */
  public Recipe forTask(TaskSpec task) {
    String id = task.id();
    for (TaskRule rule : taskRules) {
      if (rule.matches(id)) {
        Schedule resolvedSchedule = rule.warmupSteps() == null ? schedule
            : new Schedule(schedule.kind(), schedule.warmupFraction(), rule.warmupSteps(),
                schedule.floorFraction());
        Selection resolvedSelection = rule.evalEverySteps() == null ? selection
            : new Selection(selection.kind(), rule.evalEverySteps(), selection.metric());
        return new Recipe(name, source, optimizer, learningRate, beta1, beta2, epsilon,
            weightDecay, decayApplies, resolvedSchedule, clipNorm,
            rule.batchSize() == null ? batchSize : rule.batchSize(),
            rule.epochs() == null ? epochs : rule.epochs(),
            rule.maxTokens() == null ? maxTokens : rule.maxTokens(), resolvedSelection,
            List.of());
      }
    }
    return withTaskRules(List.of());
  }

  /** This recipe with the spec's overrides (null = keep the recipe's number). */
  public Recipe overridden(Integer epochsOverride, Double learningRateOverride,
      Integer batchSizeOverride, Double weightDecayOverride) {
    if (epochsOverride == null && learningRateOverride == null && batchSizeOverride == null
        && weightDecayOverride == null) {
      return this;
    }
    double decay = weightDecayOverride == null ? weightDecay : weightDecayOverride;
    // A decay asked of plain Adam turns it into AdamW: the user asked for decay.
    Optimizer resolvedOptimizer = optimizer == Optimizer.ADAM && decay > 0 ? Optimizer.ADAMW
        : optimizer;
    DecayApplies applies = resolvedOptimizer != optimizer && decayApplies == DecayApplies.NONE
        ? DecayApplies.ALL : decayApplies;
    return new Recipe(name, source, resolvedOptimizer,
        learningRateOverride == null ? learningRate : learningRateOverride, beta1, beta2,
        epsilon, decay, applies, schedule, clipNorm,
        batchSizeOverride == null ? batchSize : batchSizeOverride,
        epochsOverride == null ? epochs : epochsOverride, maxTokens, selection, taskRules);
  }

  public Recipe withTaskRules(List<TaskRule> rules) {
    return new Recipe(name, source, optimizer, learningRate, beta1, beta2, epsilon, weightDecay,
        decayApplies, schedule, clipNorm, batchSize, epochs, maxTokens, selection, rules);
  }

  /**
   * One line for the plan: {@code dnabert2-gue lr 3e-05, linear 50 warm-up, 10 epochs, batch 32,
   * BPE cap 20 tokens}. The cap shows where the recipe has one; it cuts BPE cells only (the
   * published caps count BPE tokens, see {@code SequenceEncoder.capped}).
   */
  public String describe() {
    return withoutCap() + (maxTokens > 0 ? ", BPE cap " + maxTokens + " tokens" : "");
  }

  /**
   * {@link #describe} for a cell that tokenizes with {@code tokenizer}: the token cap shows only
   * where it cuts, a BPE cell (for a tokenizer file, whose kind is known only once it is read, the
   * cap is stated as conditional). A nucleotide or k-mer cell of the same recipe is never cut, so
   * its line names no cap. Display only: the recipe, and so the stage key, is the same either way.
   */
  public String describe(TokenizerSpec tokenizer) {
    if (maxTokens <= 0) {
      return withoutCap();
    }
    if (tokenizer instanceof TokenizerSpec.Bpe) {
      return describe();
    }
    if (tokenizer instanceof TokenizerSpec.FromFile) {
      return withoutCap() + ", BPE cap " + maxTokens + " tokens if the file's tokenizer is BPE";
    }
    return withoutCap();
  }

  private String withoutCap() {
    return name + " lr " + trim(learningRate) + ", " + schedule.describe() + ", " + epochs
        + (epochs == 1 ? " epoch" : " epochs") + ", batch " + batchSize;
  }

  private static String trim(double value) {
    // 3.0E-5 reads as 3e-05 (Python's and the papers' spelling), 0.001 stays 0.001.
    if (value != 0 && Math.abs(value) < 1e-3) {
      String[] parts = String.format(Locale.ROOT, "%.6e", value).split("e");
      String mantissa = parts[0].replaceAll("\\.?0+$", "");
      return mantissa + "e" + parts[1];
    }
    String text = Double.toString(value);
    return text.endsWith(".0") ? text.substring(0, text.length() - 2) : text;
  }
}
