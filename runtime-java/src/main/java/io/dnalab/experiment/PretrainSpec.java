package io.dnalab.experiment;

/** Whether, and how, the encoder is pretrained before fine-tuning. */
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
}
