package io.dnalab.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Holm's step-down adjustment of p-values for a family of tests (Holm 1979), as statsmodels'
 * {@code multipletests(p, method="holm")}: sort the m p-values ascending, multiply the i-th
 * smallest (i from 0) by m − i, carry the running maximum forward so the adjusted values keep the
 * order of the raw ones, and cap at 1. Rejecting where the adjusted p-value is below α controls
 * the family-wise error rate at α under any dependence between the tests, which is why a grid
 * that reports many gains shows it: with 20 gains, one raw p below 0.05 is expected by chance.
 *
 * <p>Undefined p-values (NaN: a gain with a single unit or no spread has no test) are not part of
 * the family: they stay NaN and do not count in m.
 */
public final class Holm {
  private Holm() {}

  /** The Holm-adjusted p-values, in the order of {@code pValues}. */
  public static double[] adjust(double... pValues) {
    for (int i = 0; i < pValues.length; i++) {
      double p = pValues[i];
      if (!Double.isNaN(p) && !(p >= 0 && p <= 1)) {
        throw new IllegalArgumentException("p-value " + i + " is " + p + ": must lie in [0, 1]");
      }
    }
    double[] adjusted = new double[pValues.length];
    Arrays.fill(adjusted, Double.NaN);
    Integer[] defined = IntStream.range(0, pValues.length).filter(i -> !Double.isNaN(pValues[i]))
        .boxed().sorted(Comparator.comparingDouble(i -> pValues[i])).toArray(Integer[]::new);
    int m = defined.length;
    double runningMax = 0;
    for (int rank = 0; rank < m; rank++) {
      int index = defined[rank];
      runningMax = Math.max(runningMax, Math.min(1.0, (m - rank) * pValues[index]));
      adjusted[index] = runningMax;
    }
    return adjusted;
  }
}
