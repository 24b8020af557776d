package io.dnalab.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.dnalab.result.Cost;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Intervals of the per-seed differences, checked against scipy:
 * {@code stats.t.interval(0.95, 2, loc=d.mean(), scale=stats.sem(d))} for d = (0.07, 0.01, 0.06)
 * → (-0.03318718844777455, 0.1265205217811079) and for d = (0.05, 0.06, 0.07) →
 * (0.035158622882496694, 0.08484137711750331).
 */
class PairedGainTest {

  @Test
  void pairsBySeedAndCallsNoClearDifferenceWhenTheIntervalHoldsZero() {
    PairedGain gain = PairedGain.of(Map.of(1L, 0.62, 2L, 0.58, 3L, 0.66),
        Map.of(3L, 0.60, 1L, 0.55, 2L, 0.57));
    assertThat(gain.seeds()).containsExactly(1L, 2L, 3L);
    assertThat(gain.differences()).satisfiesExactly(
        d -> assertThat(d).isCloseTo(0.07, within(1e-12)),
        d -> assertThat(d).isCloseTo(0.01, within(1e-12)),
        d -> assertThat(d).isCloseTo(0.06, within(1e-12)));
    assertThat(gain.mean()).isCloseTo(0.04666666666666, within(1e-12));
    assertThat(gain.interval().method()).isEqualTo(Interval.Method.STUDENT_T);
    assertThat(gain.interval().low()).isCloseTo(-0.03318718844777455, within(1e-12));
    assertThat(gain.interval().high()).isCloseTo(0.1265205217811079, within(1e-12));
    assertThat(gain.verdict()).isEqualTo(Verdict.NO_CLEAR_DIFFERENCE);
    // The bootstrap over 3 differences is [min, max], all above zero: it alone would have said
    // "better", which is why the verdict rests on the t interval at this n.
    assertThat(gain.bootstrap().low()).isCloseTo(0.01, within(1e-12));
    assertThat(gain.bootstrap().high()).isCloseTo(0.07, within(1e-12));
  }

  @Test
  void consistentGainsAreBetterAndConsistentLossesWorse() {
    PairedGain better = PairedGain.of(Map.of(1L, 0.65, 2L, 0.66, 3L, 0.67),
        Map.of(1L, 0.60, 2L, 0.60, 3L, 0.60));
    assertThat(better.interval().low()).isCloseTo(0.035158622882496694, within(1e-12));
    assertThat(better.interval().high()).isCloseTo(0.08484137711750331, within(1e-12));
    assertThat(better.verdict()).isEqualTo(Verdict.BETTER);

    PairedGain worse = PairedGain.of(Map.of(1L, 0.60, 2L, 0.60, 3L, 0.60),
        Map.of(1L, 0.65, 2L, 0.66, 3L, 0.67));
    assertThat(worse.verdict()).isEqualTo(Verdict.WORSE);
    assertThat(worse.verdict().label()).isEqualTo("worse");
  }

  @Test
  void unpairedSeedsAreLeftOutAndListed() {
    PairedGain gain = PairedGain.of(Map.of(1L, 0.6, 2L, 0.7, 4L, 0.9),
        Map.of(1L, 0.5, 2L, 0.5, 3L, 0.1));
    assertThat(gain.seeds()).containsExactly(1L, 2L);
    assertThat(gain.unpairedSeeds()).containsExactly(3L, 4L);
    assertThat(gain.n()).isEqualTo(2);
  }

  @Test
  void aSingleSeedGivesNoVerdict() {
    PairedGain gain = PairedGain.of(Map.of(1L, 0.9), Map.of(1L, 0.1));
    assertThat(gain.interval().defined()).isFalse();
    assertThat(gain.verdict()).isEqualTo(Verdict.NO_CLEAR_DIFFERENCE);
  }

  @Test
  void noCommonSeedIsAnError() {
    assertThatThrownBy(() -> PairedGain.of(Map.of(1L, 0.9), Map.of(2L, 0.1)))
        .hasMessageContaining("no seed was run under both arms")
        .hasMessageContaining("treated seeds [1], control seeds [2]");
  }

  @Test
  void costNormalisedGainsScaleTheIntervalAndNameTheDevice() {
    PairedGain gain = PairedGain.of(Map.of(1L, 0.65, 2L, 0.66, 3L, 0.67),
        Map.of(1L, 0.60, 2L, 0.60, 3L, 0.60));
    Cost cpu = Cost.of(1800, 2.5e15, "PyTorch 2.5.1 cpu(), 2 intra-op threads");
    assertThat(cpu.hourUnit()).isEqualTo("CPU-hour");
    Interval perHour = gain.perDeviceHour(cpu); // half an hour: twice the gain per hour
    assertThat(perHour.estimate()).isCloseTo(0.12, within(1e-12));
    assertThat(perHour.low()).isCloseTo(2 * 0.035158622882496694, within(1e-12));
    Interval perPflop = gain.perPflop(cpu); // 2.5 PFLOP
    assertThat(perPflop.estimate()).isCloseTo(0.024, within(1e-12));
    assertThat(perPflop.high()).isCloseTo(0.08484137711750331 / 2.5, within(1e-12));

    assertThat(Cost.of(10, Double.NaN, "PyTorch 2.5.1 gpu(0)").hourUnit())
        .isEqualTo("GPU-hour");
    assertThat(gain.perPflop(Cost.of(10, Double.NaN, "cpu()")).defined()).isFalse();
    assertThatThrownBy(() -> gain.perDeviceHour(Cost.of(0, 1, "cpu()")))
        .hasMessageContaining("cost in device-hours must be positive, got 0.0");
  }

  /**
   * The two-level interval against a hand computation (numpy 2.4.6, scipy 1.17.1):
   *
   * <pre>
   * import numpy as np; from scipy import stats
   * T = np.array([[0.62, 0.60, 0.65],    # pretraining seed 0, fine-tuning seeds 1, 2, 3
   *               [0.58, 0.57, 0.61],    # pretraining seed 1
   *               [0.66, 0.63, 0.64]])   # pretraining seed 2
   * c = np.array([0.55, 0.54, 0.58])     # random initialisation, fine-tuning seeds 1, 2, 3
   * g = (T - c).mean(axis=1)             → [0.06666667, 0.03, 0.08666667]
   * g.mean(), g.std(ddof=1)              → 0.061111111111111095, 0.028738927014172386
   * stats.t.interval(0.95, 2, loc=g.mean(), scale=stats.sem(g))
   *                                      → (-0.010280341280034834, 0.13250256350225703)
   * stats.ttest_1samp(g, 0).pvalue       → 0.06645473040501426
   * d = (T - c).ravel()                  # the 9 differences as if independent (wrong unit)
   * stats.t.interval(0.95, 8, loc=d.mean(), scale=stats.sem(d))
   *                                      → (0.03955944776508402, 0.08266277445713816)
   * </pre>
   *
   * Same computation in a different implementation: tolerance 1e-12.
   */
  @Test
  void pretrainingSeedsAreTheUnitWhenThereAreSeveral() {
    Map<Long, Map<Long, Double>> treated = Map.of(
        0L, Map.of(1L, 0.62, 2L, 0.60, 3L, 0.65),
        1L, Map.of(1L, 0.58, 2L, 0.57, 3L, 0.61),
        2L, Map.of(1L, 0.66, 2L, 0.63, 3L, 0.64));
    Map<Long, Double> control = Map.of(1L, 0.55, 2L, 0.54, 3L, 0.58);
    PairedGain gain = PairedGain.overPretrainingSeeds(treated, control);
    assertThat(gain.unit()).isEqualTo(PairedGain.Unit.PRETRAINING_SEED);
    assertThat(gain.seeds()).containsExactly(0L, 1L, 2L);
    assertThat(gain.differences()).satisfiesExactly(
        d -> assertThat(d).isCloseTo(0.06666666666666667, within(1e-12)),
        d -> assertThat(d).isCloseTo(0.03, within(1e-12)),
        d -> assertThat(d).isCloseTo(0.08666666666666667, within(1e-12)));
    assertThat(gain.mean()).isCloseTo(0.061111111111111095, within(1e-12));
    assertThat(gain.spread().sd()).isCloseTo(0.028738927014172386, within(1e-12));
    assertThat(gain.interval().method()).isEqualTo(Interval.Method.STUDENT_T);
    assertThat(gain.interval().n()).isEqualTo(3);
    assertThat(gain.interval().low()).isCloseTo(-0.010280341280034834, within(1e-12));
    assertThat(gain.interval().high()).isCloseTo(0.13250256350225703, within(1e-12));
    assertThat(gain.pValue()).isCloseTo(0.06645473040501426, within(1e-12));
    // Taken as 9 independent differences the interval would be [0.040, 0.083] and say "better";
    // over pretraining seeds it holds zero.
    assertThat(gain.verdict()).isEqualTo(Verdict.NO_CLEAR_DIFFERENCE);
    assertThat(gain.pretrainingSeedCount()).isEqualTo(3);
    assertThat(gain.finetuningSeeds()).containsExactly(3, 3, 3);
    assertThat(gain.seedCounts()).isEqualTo("3 × 3");
    assertThat(gain.unitDescription()).isEqualTo(
        "over 3 pretraining seeds (fine-tuning seeds averaged within each)");
  }

  /**
   * One pretraining seed: the fine-tuning seeds are the unit, exactly {@link PairedGain#of}, and
   * the description says so. scipy: {@code stats.ttest_1samp([0.07, 0.06, 0.07], 0).pvalue} →
   * 0.0024906638923671296.
   */
  @Test
  void onePretrainingSeedIsTheOldGainOverFineTuningSeedsOnly() {
    Map<Long, Double> treated = Map.of(1L, 0.62, 2L, 0.60, 3L, 0.65);
    Map<Long, Double> control = Map.of(1L, 0.55, 2L, 0.54, 3L, 0.58);
    PairedGain twoLevel = PairedGain.overPretrainingSeeds(Map.of(0L, treated), control);
    PairedGain flat = PairedGain.of(treated, control);
    assertThat(twoLevel).isEqualTo(flat);
    assertThat(twoLevel.unit()).isEqualTo(PairedGain.Unit.FINETUNING_SEED);
    assertThat(twoLevel.seedCounts()).isEqualTo("1 × 3");
    assertThat(twoLevel.pValue()).isCloseTo(0.0024906638923671296, within(1e-12));
    assertThat(twoLevel.unitDescription()).isEqualTo(
        "over fine-tuning seeds only (fine-tuning noise around one pretrained checkpoint)");
  }

  @Test
  void unequalFineTuningSeedsPerPretrainingSeedAreListed() {
    PairedGain gain = PairedGain.overPretrainingSeeds(Map.of(
        0L, Map.of(1L, 0.62, 2L, 0.60),
        1L, Map.of(1L, 0.58, 2L, 0.57, 3L, 0.61)), Map.of(1L, 0.55, 2L, 0.54, 3L, 0.58));
    assertThat(gain.seedCounts()).isEqualTo("2 × (2, 3)");
    assertThat(gain.unpairedSeeds()).containsExactly(3L);
    assertThatThrownBy(() -> PairedGain.overPretrainingSeeds(Map.of(0L, Map.of(1L, 0.6),
        4L, Map.of(9L, 0.6)), Map.of(1L, 0.5)))
        .hasMessageStartingWith("pretraining seed 4: no seed was run under both arms");
  }
}
