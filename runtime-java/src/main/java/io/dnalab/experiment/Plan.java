package io.dnalab.experiment;

import io.dnalab.checkpoint.ModelLocator;
import io.dnalab.model.PretrainedCheckpoints;
import io.dnalab.spec.PretrainSpec;
import io.dnalab.spec.ExperimentSpec;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The stages an {@link ExperimentSpec} needs, in the order they run (every stage after the stages
 * it reads), each with its key, whether it is already done and an estimate of its time.
 */
public record Plan(ExperimentSpec spec, List<Stage> stages) {

  public Plan {
    stages = List.copyOf(stages);
  }

  public List<Stage> stages(Stage.Kind kind) {
    return stages.stream().filter(s -> s.kind() == kind).toList();
  }

  public int count(Stage.Kind kind) {
    return stages(kind).size();
  }

  public int done(Stage.Kind kind) {
    return (int) stages(kind).stream().filter(Stage::done).count();
  }

  /** Stages of {@code kind} whose stored output is stale (made by older code; they run again). */
  public int stale(Stage.Kind kind) {
    return (int) stages(kind).stream().filter(Stage::isStale).count();
  }

  /** One line per stale stage: its label and what changed, e.g. {@code … · seed 1: trainer 1 → 2}. */
  public List<String> staleReasons() {
    return stages.stream().filter(Stage::isStale).map(s -> s.label() + ": " + s.stale()).toList();
  }

  public boolean allDone() {
    return stages.stream().allMatch(Stage::done);
  }

  /** Sum of the estimates of the stages still to do; NaN when one of them has none. */
  public double remainingSeconds() {
    double total = 0;
    for (Stage stage : stages) {
      if (!stage.done()) {
        total += stage.estimateSeconds();
      }
    }
    return total;
  }

  /** Per kind: stages and done, in plan order. */
  public Map<Stage.Kind, int[]> counts() {
    Map<Stage.Kind, int[]> counts = new EnumMap<>(Stage.Kind.class);
    for (Stage.Kind kind : Stage.Kind.values()) {
      if (count(kind) > 0) {
        counts.put(kind, new int[] {count(kind), done(kind)});
      }
    }
    return counts;
  }

  /**
   * One line for people, e.g. {@code 1 tokenizer training (done), 12 fine-tuning + evaluation (4
   * done, 8 to run, 2 stale); about 3m 20s left}. A stale stage (its stored output was made by
   * older code, see {@link #staleReasons}) counts as to run.
   */
  public String summary() {
    StringBuilder line = new StringBuilder();
    counts().forEach((kind, c) -> {
      if (line.length() > 0) {
        line.append(", ");
      }
      line.append(c[0]).append(' ').append(kind.title()).append(" (");
      if (c[1] == c[0]) {
        line.append(c[0] == 1 ? "done" : "all done");
      } else if (c[1] == 0) {
        line.append("none done");
      } else {
        line.append(c[1]).append(" done, ").append(c[0] - c[1]).append(" to run");
      }
      int stale = stale(kind);
      if (stale > 0) {
        line.append(", ").append(stale).append(" stale");
      }
      line.append(')');
    });
    line.append(allDone() ? "; nothing left to run" : "; " + remainingText());
    return line.toString();
  }

  /** {@code about 3m 20s left}, or {@code time left unknown}. */
  public String remainingText() {
    double seconds = remainingSeconds();
    return Double.isNaN(seconds) ? "time left unknown (no similar finished runs to go on)"
        : "about " + duration(seconds) + " left";
  }

  /**
   * Per cell of the spec, the recipe it fine-tunes with and its parameter count, e.g.
   * {@code gue/prom_core_tata · bpe4096 · bert-… · none  recipe dnabert2-gue lr 3e-05, linear 50
   * warm-up, 10 epochs, batch 32, BPE cap 20 tokens  117,068,544 params} (the cap only on a BPE
   * cell, where it cuts: {@link Recipe#describe(io.dnalab.spec.TokenizerSpec)}). {@code
   * parameters} gives a cell's count
   * ({@link CellParameters#count}), empty where it depends on the task's sequence length.
   */
  public List<String> cellLines(Function<ExperimentSpec.Cell, OptionalLong> parameters) {
    return spec.cells().stream().map(cell -> {
      OptionalLong count = parameters.apply(cell);
      return cell.label() + "  recipe " + Planner.recipeFor(spec.finetune(), cell)
          .describe(cell.tokenizer())
          + "  " + (count.isPresent() ? String.format(Locale.ROOT, "%,d params",
              count.getAsLong()) : "params sized by the task's sequence length")
          + checkpointText(cell);
    }).toList();
  }

  /**
   * For a checkpoint arm, where its weights are and the start of their content hash, e.g.
   * {@code   from checkpoint zhihan1996/DNABERT-2-117M@7bce263b15377fc1 sha256:4c1a…}; for its
   * twin, whose architecture it is; empty for other cells.
   */
  private String checkpointText(ExperimentSpec.Cell cell) {
    if (!(cell.pretrain() instanceof PretrainSpec.Checkpoint checkpoint)) {
      return "";
    }
    if (!checkpoint.pretrained()) {
      return "  random init of checkpoint " + checkpoint.source() + "'s architecture";
    }
    ModelLocator.Location where = ModelLocator.fromEnvironment().locate(checkpoint.source());
    // The hash the plan's keys hold (hashed once, when planning), not the weights read again.
    String hash = stages(Stage.Kind.FINETUNE).stream()
        .filter(stage -> checkpoint.equals(stage.cell().pretrain()))
        .map(Stage::checkpointHash).filter(Objects::nonNull).findFirst()
        .orElseGet(() -> PretrainedCheckpoints.contentHash(where.folder()));
    return "  from checkpoint " + (where.isLocalFolder() ? where.folder().toString()
        : where.hubId() + "@" + where.commit().substring(0, 16))
        + " " + hash.substring(0, Math.min(hash.length(), "sha256:".length() + 12)) + "…";
  }

  /** {@code 45s}, {@code 3m 20s}, {@code 2h 05m}. */
  public static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh %02dm", s / 3600, (s % 3600) / 60);
  }
}
