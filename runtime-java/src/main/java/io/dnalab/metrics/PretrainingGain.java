package io.dnalab.metrics;

import io.dnalab.result.Cost;

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
 */
public record PretrainingGain(String task, String tokenizer, String model, String pretrain,
    String baseline, String metric, PairedGain gain, Cost cost) {

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
