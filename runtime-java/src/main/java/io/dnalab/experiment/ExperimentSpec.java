package io.dnalab.experiment;

import java.util.ArrayList;
import java.util.List;

/**
 * One controlled experiment: every combination of task × tokenizer × model × pretraining, each
 * fine-tuned with the same budget over {@code seeds} seeds. Immutable and validated on
 * construction; the DSL builds it, the runtime runs it.
 */
public record ExperimentSpec(
    String name,
    List<TaskSpec> tasks,
    List<TokenizerSpec> tokenizers,
    List<ModelSpec> models,
    List<PretrainSpec> pretraining,
    FinetuneSpec finetune,
    int seeds) {

  public ExperimentSpec {
    if (name == null || name.isBlank()) {
      throw new SpecException("name", "an experiment needs a name, got \"\"");
    }
    tasks = SpecException.nonEmpty("tasks", tasks);
    tokenizers = SpecException.nonEmpty("tokenizer", tokenizers);
    models = SpecException.nonEmpty("model", models);
    pretraining = SpecException.nonEmpty("pretrain", pretraining);
    if (finetune == null) {
      throw new SpecException("finetune", "needs a fine-tuning budget, got null");
    }
    SpecException.inRange("seeds", seeds, 1, 1000);
  }

  /** One cell of the grid, still to be run over every seed. */
  public record Cell(TaskSpec task, TokenizerSpec tokenizer, ModelSpec model,
      PretrainSpec pretrain) {
    public String label() {
      return String.join(" · ", task.id(), tokenizer.id(), model.id(), pretrain.id());
    }
  }

  /** Every combination, in a fixed order: task, tokenizer, model, pretraining. */
  public List<Cell> cells() {
    List<Cell> cells = new ArrayList<>();
    for (TaskSpec task : tasks) {
      for (TokenizerSpec tokenizer : tokenizers) {
        for (ModelSpec model : models) {
          for (PretrainSpec pretrain : pretraining) {
            cells.add(new Cell(task, tokenizer, model, pretrain));
          }
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
