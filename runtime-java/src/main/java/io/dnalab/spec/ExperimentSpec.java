package io.dnalab.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * One controlled experiment: every combination of task × tokenizer × model × pretraining, each
 * fine-tuned with the same budget over {@code seeds} seeds. A public checkpoint among the
 * pretraining regimes brings its own model and tokenizer instead ({@link #cells()}). Immutable
 * and validated on construction; the DSL builds it, the runtime runs it.
 */
public record ExperimentSpec(
    String name,
    List<TaskSpec> tasks,
    List<TokenizerSpec> tokenizers,
    List<ModelSpec> models,
    List<PretrainSpec> pretraining,
    FinetuneSpec finetune,
    int seeds,
    List<ExclusionRule> exclude) {

  public ExperimentSpec {
    if (name == null || name.isBlank()) {
      throw new SpecException("name", "an experiment needs a name, got \"\"");
    }
    tasks = SpecException.nonEmpty("tasks", tasks);
    tokenizers = SpecException.nonEmpty("tokenizer", tokenizers);
    pretraining = SpecException.nonEmpty("pretrain", pretraining);
    boolean withCheckpoint = pretraining.stream()
        .anyMatch(PretrainSpec.Checkpoint.class::isInstance);
    boolean withObjective = pretraining.stream()
        .anyMatch(PretrainSpec.Pretrain.class::isInstance);
    boolean fromGrid = withObjective || pretraining.stream()
        .anyMatch(PretrainSpec.None.class::isInstance);
    // A checkpoint brings its own model: an experiment of checkpoints alone, or of checkpoints and
    // none (their random-init twins, `pretrain(false, checkpoint(...))`), needs no model axis.
    boolean needsModels = withObjective || !withCheckpoint;
    models = needsModels || models == null || !models.isEmpty()
        ? SpecException.nonEmpty("model", models) : List.of();
    if (!fromGrid && !models.isEmpty()) {
      throw new SpecException("pretrain", "model(...) lists " + models.size() + " model(s) but "
          + "pretrain holds checkpoints only, which bring their own model; add none (false) to "
          + "train the listed models from scratch, or leave model(...) out");
    }
    if (finetune == null) {
      throw new SpecException("finetune", "needs a fine-tuning budget, got null");
    }
    SpecException.inRange("seeds", seeds, 1, 1000);
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    List<Cell> grid = grid(tasks, tokenizers, models, pretraining);
    for (int i = 0; i < exclude.size(); i++) {
      ExclusionRule rule = exclude.get(i);
      if (grid.stream().noneMatch(rule::matches)) {
        throw new SpecException("exclude", "rule " + (i + 1) + " (" + rule.describe()
            + ") matches no cell of the grid; check its values against tasks, tokenizer, "
            + "model and pretrain");
      }
    }
    List<Cell> kept = kept(grid, exclude);
    if (kept.isEmpty()) {
      throw new SpecException("exclude", "the rules exclude all " + grid.size()
          + " cells of the grid; nothing would run");
    }
    kept.forEach(Compatibility::check);
  }

  /** An experiment without exclusion rules: every combination runs. */
  public ExperimentSpec(String name, List<TaskSpec> tasks, List<TokenizerSpec> tokenizers,
      List<ModelSpec> models, List<PretrainSpec> pretraining, FinetuneSpec finetune, int seeds) {
    this(name, tasks, tokenizers, models, pretraining, finetune, seeds, List.of());
  }

  /** This spec with {@code rules} added to its exclusion rules. */
  public ExperimentSpec excluding(List<ExclusionRule> rules) {
    List<ExclusionRule> all = new ArrayList<>(exclude);
    all.addAll(rules);
    return new ExperimentSpec(name, tasks, tokenizers, models, pretraining, finetune, seeds, all);
  }

  /** One cell of the grid, still to be run over every seed. */
  public record Cell(TaskSpec task, TokenizerSpec tokenizer, ModelSpec model,
      PretrainSpec pretrain) {
    public String label() {
      return String.join(" · ", task.id(), tokenizer.id(), model.id(), pretrain.id());
    }
  }

  /**
   * Every combination not excluded by a rule, in a fixed order: task, tokenizer, model,
   * pretraining. A checkpoint ({@link PretrainSpec.Checkpoint}) is not crossed with the tokenizer
   * and model axes: after a task's grid cells come, per checkpoint, its random-init twin (when
   * pretraining also holds none) and then the checkpoint, both with its own tokenizer and model.
   */
  public List<Cell> cells() {
    return kept(grid(tasks, tokenizers, models, pretraining), exclude);
  }

  /** Every combination, excluded ones included, in {@link #cells()}'s order. */
  public List<Cell> fullGrid() {
    return grid(tasks, tokenizers, models, pretraining);
  }

  private static List<Cell> kept(List<Cell> grid, List<ExclusionRule> exclude) {
    return grid.stream().filter(cell -> exclude.stream().noneMatch(rule -> rule.matches(cell)))
        .toList();
  }

  private static List<Cell> grid(List<TaskSpec> tasks, List<TokenizerSpec> tokenizers,
      List<ModelSpec> models, List<PretrainSpec> pretraining) {
    List<Cell> cells = new ArrayList<>();
    for (TaskSpec task : tasks) {
      for (TokenizerSpec tokenizer : tokenizers) {
        for (ModelSpec model : models) {
          for (PretrainSpec pretrain : pretraining) {
            if (!(pretrain instanceof PretrainSpec.Checkpoint)) {
              cells.add(new Cell(task, tokenizer, model, pretrain));
            }
          }
        }
      }
      boolean withTwins = pretraining.stream().anyMatch(PretrainSpec.None.class::isInstance);
      for (PretrainSpec pretrain : pretraining) {
        if (pretrain instanceof PretrainSpec.Checkpoint checkpoint) {
          if (withTwins) {
            cells.add(new Cell(task, checkpoint.tokenizer(), checkpoint.model(),
                checkpoint.randomTwin()));
          }
          cells.add(new Cell(task, checkpoint.tokenizer(), checkpoint.model(), checkpoint));
        }
      }
    }
    return List.copyOf(cells);
  }

  /** The number of training runs the experiment asks for (cells × seeds). */
  public int runCount() {
    return cells().size() * seeds;
  }
}
