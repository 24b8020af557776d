package io.dnalab.metrics;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The difference of two independent means, treated minus control, with Welch's t interval: what
 * an unpaired comparison of two arms reports, where nothing pairs a unit of one arm with a unit of
 * the other (a pretrained transformer's pretraining seed and a from-scratch ConvNova's fine-tuning
 * seed share neither weights nor data order).
 *
 * <p>Welch's interval does not assume the two arms vary alike: with s² the sample variances (n − 1
 * denominators) and n the unit counts, the standard error is √(s_t²/n_t + s_c²/n_c), the degrees of
 * freedom Welch–Satterthwaite's (s_t²/n_t + s_c²/n_c)² / ((s_t²/n_t)²/(n_t − 1) +
 * (s_c²/n_c)²/(n_c − 1)), and the 95% interval the difference ± t(0.975, df) · SE (scipy's {@code
 * ttest_ind(treated, control, equal_var=False)} and its {@code confidence_interval()}). With fewer
 * than two units in an arm, or when neither arm varies, there is no interval (bounds NaN, method
 * {@link Interval.Method#NONE}) and the verdict is "no clear difference".
 *
 * @param treated the treated arm's unit values
 * @param control the control arm's unit values
 * @param treatedSpread mean ± sd of {@code treated}
 * @param controlSpread mean ± sd of {@code control}
 * @param interval the difference of the means with Welch's 95% t interval ({@link
 *     Interval#n} counts the units of both arms)
 * @param degreesOfFreedom Welch–Satterthwaite degrees of freedom (NaN without an interval)
 * @param pValue two-sided p-value of Welch's t-test of a zero difference (NaN without an
 *     interval)
 * @param verdict better / worse only when {@code interval} excludes zero
 */
public record WelchDifference(List<Double> treated, List<Double> control, Spread treatedSpread,
    Spread controlSpread, Interval interval, double degreesOfFreedom, double pValue,
    Verdict verdict) {

  public WelchDifference {
    treated = List.copyOf(treated);
    control = List.copyOf(control);
  }

  /**
   * Welch's comparison of {@code treated} and {@code control}.
   *
   * @throws IllegalArgumentException when an arm has no value or a value is not finite
   */
  public static WelchDifference of(double[] treated, double[] control) {
    check("treated", treated);
    check("control", control);
    Spread t = Spread.of(treated);
    Spread c = Spread.of(control);
    double difference = t.mean() - c.mean();
    int units = treated.length + control.length;
    List<Double> treatedList = Arrays.stream(treated).boxed().toList();
    List<Double> controlList = Arrays.stream(control).boxed().toList();
    double treatedShare = treated.length < 2 ? Double.NaN : t.sd() * t.sd() / treated.length;
    double controlShare = control.length < 2 ? Double.NaN : c.sd() * c.sd() / control.length;
    double variance = treatedShare + controlShare;
    if (!(variance > 0)) {
      Interval none = new Interval(difference, Double.NaN, Double.NaN, MeanIntervals.LEVEL,
          Interval.Method.NONE, units);
      return new WelchDifference(treatedList, controlList, t, c, none, Double.NaN, Double.NaN,
          Verdict.NO_CLEAR_DIFFERENCE);
    }
    double se = Math.sqrt(variance);
    double df = variance * variance / (treatedShare * treatedShare / (treated.length - 1)
        + controlShare * controlShare / (control.length - 1));
    TDistribution distribution = new TDistribution(null, df);
    double half = distribution.inverseCumulativeProbability(0.5 + MeanIntervals.LEVEL / 2) * se;
    Interval interval = new Interval(difference, difference - half, difference + half,
        MeanIntervals.LEVEL, Interval.Method.WELCH_T, units);
    double p = 2 * distribution.cumulativeProbability(-Math.abs(difference / se));
    return new WelchDifference(treatedList, controlList, t, c, interval, df, p,
        Verdict.of(interval));
  }

  /** Treated mean minus control mean. */
  public double mean() {
    return interval.estimate();
  }

  private static void check(String arm, double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("the " + arm + " arm has no values to compare");
    }
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException(arm + " value " + i + " is " + values[i]
            + ": a difference needs finite values");
      }
    }
  }
}
