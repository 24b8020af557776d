package io.dnalab.metrics;

import io.dnalab.result.Cost;
import io.dnalab.result.RunResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The pretraining gain of one cell: the metric of the pretrained model minus the same
 * architecture's from random initialisation, paired by seed, with what the pretrained arm cost.
 *
 * @param task the fine-tuning task
 * @param tokenizer the tokenizer both arms used
 * @param model the architecture both arms used
 * @param pretrain the pretraining of the treated arm (e.g. {@code mlm-…})
 * @param baseline the control arm's pretraining ({@code none}: random initialisation)
 * @param metric the test metric compared, e.g. {@code mcc}
 * @param gain pretrained minus baseline, per seed, with its interval and verdict
 * @param cost the compute the pretrained arm cost, against which the gain is normalised
 * @param collapsedRuns the runs of either arm flagged degenerate, one line each (e.g. {@code none
 *     seed 1: test predictions all class 0}); empty when none is
 */
public record PretrainingGain(String task, String tokenizer, String model, String pretrain,
    String baseline, String metric, PairedGain gain, Cost cost, List<String> collapsedRuns) {

  public PretrainingGain {
    collapsedRuns = List.copyOf(collapsedRuns);
  }

  /** A gain whose arms hold no degenerate run. */
  public PretrainingGain(String task, String tokenizer, String model, String pretrain,
      String baseline, String metric, PairedGain gain, Cost cost) {
    this(task, tokenizer, model, pretrain, baseline, metric, gain, cost, List.of());
  }

  /**
   * What the gain lets us say: {@link Verdict#ARM_COLLAPSED} when a run of either arm is
   * degenerate (the difference then measures the collapse), else the paired gain's verdict.
   */
  public Verdict verdict() {
    return collapsedRuns.isEmpty() ? gain.verdict() : Verdict.ARM_COLLAPSED;
  }

  /**
   * The verdict as a sentence for a table: its label, and for a collapsed arm which runs, e.g.
   * {@code arm collapsed (none seed 0: test predictions all class 0)}.
   */
  public String verdictText() {
    Verdict verdict = verdict();
    return verdict == Verdict.ARM_COLLAPSED
        ? verdict.label() + " (" + String.join("; ", collapsedRuns) + ")"
        : verdict.label();
  }

  /**
   * The degenerate runs of the two arms, treated first, each as {@code PRETRAIN seed S: WHY}: what
   * {@link #collapsedRuns} holds for a gain between them.
   */
  public static List<String> collapsedRuns(List<RunResult> treated, List<RunResult> control) {
    List<String> collapsed = new ArrayList<>();
    for (List<RunResult> arm : List.of(treated, control)) {
      for (RunResult run : arm) {
        if (run.isDegenerate()) {
          collapsed.add(run.pretrain() + " seed " + run.seed() + ": " + run.degenerate());
        }
      }
    }
    return collapsed;
  }

  /** The gain per GPU-hour or CPU-hour of {@link #cost} (see {@link Cost#hourUnit}). */
  public Interval perDeviceHour() {
    return gain.perDeviceHour(cost);
  }

  /** The gain per PFLOP of {@link #cost}; undefined where FLOPs were not estimated. */
  public Interval perPflop() {
    return gain.perPflop(cost);
  }

  /** A row label naming the comparison: {@code task · model · tokenizer · pretrain}. */
  public String label() {
    return String.join(" · ", task, model, tokenizer, pretrain);
  }
}
