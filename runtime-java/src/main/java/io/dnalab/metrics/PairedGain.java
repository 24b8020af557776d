package io.dnalab.metrics;

import io.dnalab.result.Cost;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * A paired difference over seeds: for every seed run under both arms, treated minus control (for
 * pretraining: the pretrained model's metric minus the randomly initialised one's, same task,
 * tokenizer, model and fine-tuning seed). Pairing removes what the seed does to both arms alike
 * (data order, head initialisation), so the interval is of the mean of the per-seed differences,
 * not a difference of two independent means.
 *
 * <p><b>The unit of replication.</b> When the treated arm was pretrained with several pretraining
 * seeds ({@link #overPretrainingSeeds}), the unit is the pretraining seed: within each pretraining
 * seed the differences over its fine-tuning seeds are averaged, and the interval is over those
 * per-pretraining-seed gains, so it measures what a rerun of the pretraining would change, not
 * only fine-tuning noise around one checkpoint. The control (random initialisation) has no
 * pretraining seed; its fine-tuning seeds pair with the same fine-tuning seeds of every
 * pretraining seed, so its own fine-tuning noise shifts every unit alike and is not in the
 * interval. With one pretraining seed ({@link #of}) the unit is the fine-tuning seed and the
 * interval is over fine-tuning seeds only: {@link #unitDescription} says so.
 *
 * @param seeds the units, ascending: fine-tuning seeds ({@link Unit#FINETUNING_SEED}) or
 *     pretraining seeds ({@link Unit#PRETRAINING_SEED})
 * @param differences treated minus control, one per unit, in seed order (per pretraining seed:
 *     the mean over its paired fine-tuning seeds)
 * @param spread mean ± sd of the differences
 * @param interval the interval the verdict rests on ({@link MeanIntervals#of}: Student t below
 *     {@value MeanIntervals#T_BELOW} units, percentile bootstrap from then on)
 * @param bootstrap the percentile bootstrap interval of the same differences, for reference
 * @param verdict better / worse only when {@code interval} excludes zero
 * @param unpairedSeeds fine-tuning seeds run under only one arm, left out of the comparison
 * @param unit what one difference stands for
 * @param finetuningSeeds paired fine-tuning seeds per unit, in seed order (one entry, the paired
 *     fine-tuning seeds, when the unit is the fine-tuning seed)
 * @param pValue two-sided p-value of a one-sample t-test of the differences against 0 (scipy's
 *     {@code ttest_1samp}, n − 1 degrees of freedom); NaN with one unit or differences that do
 *     not vary
 */
public record PairedGain(List<Long> seeds, List<Double> differences, Spread spread,
    Interval interval, Interval bootstrap, Verdict verdict, List<Long> unpairedSeeds, Unit unit,
    List<Integer> finetuningSeeds, double pValue) {

  /** What one paired difference stands for. */
  public enum Unit {
    /** One fine-tuning seed: the treated arm had one pretraining run. */
    FINETUNING_SEED,
    /** One pretraining seed, its fine-tuning seeds averaged. */
    PRETRAINING_SEED
  }

  public PairedGain {
    seeds = List.copyOf(seeds);
    differences = List.copyOf(differences);
    unpairedSeeds = List.copyOf(unpairedSeeds);
    finetuningSeeds = List.copyOf(finetuningSeeds);
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
    return summarise(differenceBySeed, unpaired, Unit.FINETUNING_SEED,
        List.of(differenceBySeed.size()));
  }

  /**
   * The two-level gain: {@code treated} maps pretraining seed → (fine-tuning seed → metric),
   * {@code control} fine-tuning seed → metric. Within each pretraining seed the treated runs pair
   * with the control by fine-tuning seed and their differences are averaged; the interval is over
   * the pretraining seeds. With a single pretraining seed this is {@link #of} (unit: fine-tuning
   * seed), the same numbers as before pretraining seeds existed.
   *
   * @throws IllegalArgumentException when a pretraining seed has no fine-tuning seed in common
   *     with the control
   */
  public static PairedGain overPretrainingSeeds(Map<Long, Map<Long, Double>> treated,
      Map<Long, Double> control) {
    if (treated.isEmpty()) {
      throw new IllegalArgumentException("the treated arm has no runs");
    }
    if (treated.size() == 1) {
      return of(treated.values().iterator().next(), control);
    }
    TreeMap<Long, Double> gainByPretrainingSeed = new TreeMap<>();
    TreeMap<Long, Integer> pairedByPretrainingSeed = new TreeMap<>();
    TreeSet<Long> unpaired = new TreeSet<>();
    for (Map.Entry<Long, Map<Long, Double>> pretraining : new TreeMap<>(treated).entrySet()) {
      PairedGain within;
      try {
        within = of(pretraining.getValue(), control);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pretraining seed " + pretraining.getKey() + ": "
            + e.getMessage(), e);
      }
      gainByPretrainingSeed.put(pretraining.getKey(), within.mean());
      pairedByPretrainingSeed.put(pretraining.getKey(), within.n());
      unpaired.addAll(within.unpairedSeeds());
    }
    return summarise(gainByPretrainingSeed, unpaired, Unit.PRETRAINING_SEED,
        new ArrayList<>(pairedByPretrainingSeed.values()));
  }

  private static PairedGain summarise(TreeMap<Long, Double> differenceBySeed,
      TreeSet<Long> unpaired, Unit unit, List<Integer> finetuningSeeds) {
    double[] values = differenceBySeed.values().stream().mapToDouble(Double::doubleValue)
        .toArray();
    Interval interval = MeanIntervals.of(values);
    return new PairedGain(new ArrayList<>(differenceBySeed.keySet()),
        new ArrayList<>(differenceBySeed.values()), Spread.of(values), interval,
        MeanIntervals.bootstrap(values), Verdict.of(interval), new ArrayList<>(unpaired), unit,
        finetuningSeeds, tTestPValue(values));
  }

  /** Two-sided one-sample t-test of mean 0: 2·P(T &gt; |mean| / (sd / √n)), T ~ t(n − 1). */
  private static double tTestPValue(double[] values) {
    Spread spread = Spread.of(values);
    if (values.length < 2 || !(spread.sd() > 0)) {
      return Double.NaN;
    }
    double t = spread.mean() / (spread.sd() / Math.sqrt(values.length));
    return 2 * new TDistribution(null, values.length - 1).cumulativeProbability(-Math.abs(t));
  }

  /** Pretraining seeds the gain rests on (1 when the unit is the fine-tuning seed). */
  public int pretrainingSeedCount() {
    return unit == Unit.PRETRAINING_SEED ? seeds.size() : 1;
  }

  /**
   * {@code 3 × 3}: pretraining seeds × paired fine-tuning seeds per pretraining seed; unequal
   * counts are listed, e.g. {@code 3 × (3, 3, 2)}.
   */
  public String seedCounts() {
    boolean equal = finetuningSeeds.stream().distinct().count() == 1;
    return pretrainingSeedCount() + " × " + (equal ? finetuningSeeds.get(0).toString()
        : finetuningSeeds.stream().map(String::valueOf).collect(
            java.util.stream.Collectors.joining(", ", "(", ")")));
  }

  /** What the interval is over, in words, for captions and notes. */
  public String unitDescription() {
    return unit == Unit.PRETRAINING_SEED
        ? "over " + seeds.size() + " pretraining seeds (fine-tuning seeds averaged within each)"
        : "over fine-tuning seeds only (fine-tuning noise around one pretrained checkpoint)";
  }

  /** The mean difference. */
  public double mean() {
    return spread.mean();
  }

  /** Number of units (paired fine-tuning seeds, or pretraining seeds). */
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
