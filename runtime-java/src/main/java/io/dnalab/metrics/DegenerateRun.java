package io.dnalab.metrics;

import io.dnalab.result.MetricSet;
import io.dnalab.result.Predictions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The degenerate-run guard: a fine-tuning run that learnt nothing usable is flagged, so that a
 * comparison resting on it says "arm collapsed" instead of "better" (a random-init arm stuck at
 * MCC 0 once made pretraining look like a gain).
 *
 * <p>A run is degenerate when either holds:
 *
 * <ul>
 *   <li><b>one class</b>: every test prediction is the same class while the test labels hold at
 *       least two classes;
 *   <li><b>dev at chance</b>: the dev MCC was at or below 0 (or undefined) at every evaluation
 *       of the run ({@code devHistory}, one per epoch). MCC is the chance-corrected metric: any
 *       predictor independent of the label, a constant one included, has expected MCC 0 whatever
 *       the class balance, whereas chance accuracy depends on it. MCC is used whatever metric the
 *       run selected on.
 * </ul>
 */
public final class DegenerateRun {
  private DegenerateRun() {}

  /**
   * Why the run is degenerate (e.g. {@code test predictions all class 0; dev MCC <= 0 at all 3
   * evaluations}), or null when it is not.
   */
  public static String reason(List<MetricSet> devHistory, Predictions test) {
    List<String> reasons = new ArrayList<>(2);
    if (test != null && test.size() > 0) {
      int first = test.predicted()[0];
      boolean oneClass = true;
      for (int p : test.predicted()) {
        oneClass &= p == first;
      }
      boolean labelsVary = false;
      for (int label : test.labels()) {
        labelsVary |= label != test.labels()[0];
      }
      if (oneClass && labelsVary) {
        reasons.add("test predictions all class " + first);
      }
    }
    if (!devHistory.isEmpty()
        && devHistory.stream().allMatch(m -> !(m.mcc() > 0))) {
      reasons.add(String.format(Locale.ROOT, "dev MCC <= 0 at all %d evaluations",
          devHistory.size()));
    }
    return reasons.isEmpty() ? null : String.join("; ", reasons);
  }
}
