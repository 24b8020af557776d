package io.dnalab.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A declarative {@code exclude { … }} rule of an {@link ExperimentSpec}: a cell of the grid is
 * left out when it matches every field the rule names. A field left empty matches any value, and
 * a field with several values matches any of them, so {@code exclude { model(cnnBaseline());
 * pretrain(mlm) }} drops exactly the pretrained cells of the CNN baseline.
 *
 * <p>Rules are plain data (specs compared by value), so they survive a {@link SpecJson} round trip
 * and take part in nothing but the choice of cells: a stage's key never depends on them.
 */
public record ExclusionRule(List<TaskSpec> tasks, List<TokenizerSpec> tokenizers,
    List<ModelSpec> models, List<PretrainSpec> pretraining) {

  public ExclusionRule {
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
    tokenizers = tokenizers == null ? List.of() : List.copyOf(tokenizers);
    models = models == null ? List.of() : List.copyOf(models);
    pretraining = pretraining == null ? List.of() : List.copyOf(pretraining);
    if (tasks.isEmpty() && tokenizers.isEmpty() && models.isEmpty() && pretraining.isEmpty()) {
      throw new SpecException("exclude", "a rule must name at least one of tasks, tokenizer, "
          + "model or pretrain; an empty rule would exclude every cell");
    }
  }

  /** The rule that excludes exactly one cell (what the DSL's predicate form compiles to). */
  public static ExclusionRule of(ExperimentSpec.Cell cell) {
    return new ExclusionRule(List.of(cell.task()), List.of(cell.tokenizer()),
        List.of(cell.model()), List.of(cell.pretrain()));
  }

  /** Whether {@code cell} matches every field this rule names. */
  public boolean matches(ExperimentSpec.Cell cell) {
    return (tasks.isEmpty() || tasks.contains(cell.task()))
        && (tokenizers.isEmpty() || tokenizers.contains(cell.tokenizer()))
        && (models.isEmpty() || models.contains(cell.model()))
        && (pretraining.isEmpty() || pretraining.contains(cell.pretrain()));
  }

  /** As a reader writes it, with ids: {@code exclude { model(cnn-baseline); pretrain(none) }}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (!tasks.isEmpty()) {
      parts.add("tasks(" + String.join(", ", tasks.stream().map(TaskSpec::id).toList()) + ")");
    }
    if (!tokenizers.isEmpty()) {
      parts.add("tokenizer(" + String.join(", ", tokenizers.stream().map(TokenizerSpec::id)
          .toList()) + ")");
    }
    if (!models.isEmpty()) {
      parts.add("model(" + String.join(", ", models.stream().map(ModelSpec::id).toList()) + ")");
    }
    if (!pretraining.isEmpty()) {
      parts.add("pretrain(" + String.join(", ", pretraining.stream().map(PretrainSpec::id)
          .toList()) + ")");
    }
    return "exclude { " + String.join("; ", parts) + " }";
  }
}
