package io.dnalab.metrics;

/**
 * One evaluation during training: a learning curve is the list of these for one series (an
 * objective, a run).
 *
 * @param series what the curve belongs to, e.g. {@code mlm} or {@code randomMask seed 1}
 * @param step optimizer steps taken
 * @param split {@code train} or {@code validation}
 * @param loss mean loss (masked-token cross-entropy for MLM), NaN if not measured
 * @param accuracy masked-token accuracy, NaN if not measured
 */
public record LearningCurvePoint(String series, long step, String split, double loss,
    double accuracy) {

  public LearningCurvePoint {
    if (series == null || series.isBlank()) {
      throw new IllegalArgumentException("a learning-curve point needs a series name");
    }
    if (step < 0) {
      throw new IllegalArgumentException("step must be zero or more, got " + step);
    }
    if (split == null || split.isBlank()) {
      throw new IllegalArgumentException("a learning-curve point needs a split name");
    }
  }
}
