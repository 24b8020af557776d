package io.dnalab.metrics;

import io.dnalab.result.Cost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A paired difference over seeds: for every seed run under both arms, treated minus control (for
 * pretraining: the pretrained model's metric minus the randomly initialised one's, same task,
 * tokenizer, model and seed). Pairing removes what the seed does to both arms alike (data order,
 * head initialisation), so the interval is of the mean of the per-seed differences, not a
 * difference of two independent means.
 *
 * @param seeds the paired seeds, ascending
 * @param differences treated minus control, one per paired seed, in seed order
 * @param spread mean ± sd of the differences
 * @param interval the interval the verdict rests on ({@link MeanIntervals#of}: Student t below
 *     {@value MeanIntervals#T_BELOW} pairs, percentile bootstrap from then on)
 * @param bootstrap the percentile bootstrap interval of the same differences, for reference
 * @param verdict better / worse only when {@code interval} excludes zero
 * @param unpairedSeeds seeds run under only one arm, left out of the comparison
 */
public record PairedGain(List<Long> seeds, List<Double> differences, Spread spread,
    Interval interval, Interval bootstrap, Verdict verdict, List<Long> unpairedSeeds) {

  public PairedGain {
    seeds = List.copyOf(seeds);
    differences = List.copyOf(differences);
    unpairedSeeds = List.copyOf(unpairedSeeds);
  }

  /**
   * Pairs {@code treated} and {@code control} by seed (seed → metric value) and summarises the
   * differences.
   *
   * @throws IllegalArgumentException when no seed was run under both arms
   */
  public static PairedGain of(Map<Long, Double> treated, Map<Long, Double> control) {
    TreeMap<Long, Double> differenceBySeed = new TreeMap<>();
    TreeSet<Long> unpaired = new TreeSet<>();
    for (Map.Entry<Long, Double> entry : treated.entrySet()) {
      Double other = control.get(entry.getKey());
      if (other == null) {
        unpaired.add(entry.getKey());
      } else {
        differenceBySeed.put(entry.getKey(), entry.getValue() - other);
      }
    }
    for (Long seed : control.keySet()) {
      if (!treated.containsKey(seed)) {
        unpaired.add(seed);
      }
    }
    if (differenceBySeed.isEmpty()) {
      throw new IllegalArgumentException("no seed was run under both arms: treated seeds "
          + new TreeSet<>(treated.keySet()) + ", control seeds " + new TreeSet<>(control.keySet()));
    }
    double[] values = differenceBySeed.values().stream().mapToDouble(Double::doubleValue)
        .toArray();
    Interval interval = MeanIntervals.of(values);
    return new PairedGain(new ArrayList<>(differenceBySeed.keySet()),
        new ArrayList<>(differenceBySeed.values()), Spread.of(values), interval,
        MeanIntervals.bootstrap(values), Verdict.of(interval), new ArrayList<>(unpaired));
  }

  /** The mean difference. */
  public double mean() {
    return spread.mean();
  }

  /** Number of paired seeds. */
  public int n() {
    return seeds.size();
  }

  /**
   * The gain per device-hour of {@code cost} (GPU-hour or CPU-hour, see {@link
   * Cost#hourUnit}) with its interval scaled alike; the cost is taken as fixed.
   */
  public Interval perDeviceHour(Cost cost) {
    return perUnit(cost.deviceHours(), "device-hours");
  }

  /** The gain per PFLOP of {@code cost}, interval scaled alike; undefined without a FLOP count. */
  public Interval perPflop(Cost cost) {
    return perUnit(cost.pflops(), "PFLOP");
  }

  private Interval perUnit(double amount, String unit) {
    if (Double.isNaN(amount)) {
      return new Interval(Double.NaN, Double.NaN, Double.NaN, interval.level(), interval.method(),
          interval.n());
    }
    if (!(amount > 0)) {
      throw new IllegalArgumentException("cost in " + unit + " must be positive, got " + amount);
    }
    return interval.scaled(1 / amount);
  }
}
