package io.dnalab.train;

/**
 * Learning rate as a function of the optimizer step (0-based). Pure, so a run's schedule can be
 * printed and tested without training.
 */
public interface LearningRateSchedule {

  double at(long step);

  /** Which shape of schedule; the numbers come from the fine-tuning configuration. */
  enum Kind {
    /** Linear warm-up from ~0 to the peak, then cosine decay to {@code minFraction·peak}. */
    WARMUP_COSINE,
    /** PyTorch's OneCycleLR (cosine): 30% rising from peak/25, then falling to peak/25/1e4. */
    ONE_CYCLE,
    /** Linear warm-up over a number of steps, then linear decay to 0 at the last step. */
    LINEAR_DECAY,
    CONSTANT
  }

  /**
   * Linear warm-up over {@code warmupSteps} (the first step already gets peak/warmupSteps), then
   * half a cosine from the peak down to {@code minFraction·peak} at {@code totalSteps}. ConvNova's
   * recipe: 1% warm-up, floor 0.1·lr (timm's cosine scheduler with {@code lr_min = 0.1·lr}).
   */
  static LearningRateSchedule warmupCosine(double peak, long warmupSteps, long totalSteps,
      double minFraction) {
    double floor = peak * minFraction;
    long decaySteps = Math.max(1, totalSteps - warmupSteps);
    return step -> {
      if (step < warmupSteps) {
        return peak * (step + 1) / warmupSteps;
      }
      double progress = Math.min(1.0, (double) (step - warmupSteps) / decaySteps);
      return floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
    };
  }

  /**
   * One-cycle as {@code torch.optim.lr_scheduler.OneCycleLR(anneal_strategy="cos")} with its
   * defaults: start at peak/25, cosine up to the peak over {@code pctStart} of the steps, cosine
   * down to start/1e4 at the last step.
   */
  static LearningRateSchedule oneCycle(double peak, long totalSteps, double pctStart) {
    double initial = peak / 25.0;
    double last = initial / 1e4;
    double upEnd = pctStart * totalSteps - 1;
    double downEnd = totalSteps - 1;
    return step -> {
      if (step <= upEnd) {
        double pct = upEnd <= 0 ? 1 : step / upEnd;
        return cosineAnneal(initial, peak, pct);
      }
      double pct = Math.min(1.0, (step - upEnd) / Math.max(1e-9, downEnd - upEnd));
      return cosineAnneal(peak, last, pct);
    };
  }

  /**
   * Hugging Face's {@code get_linear_schedule_with_warmup} as the {@code Trainer} steps it (the
   * rate of optimizer step {@code s}, 0-based, is the lambda at {@code s}):
   * {@code peak·s/warmup} while {@code s < warmup}, then
   * {@code peak·max(0, (total − s)/(total − warmup))}. Step 0 therefore trains at rate 0, as
   * there; DNABERT-2's recipe (50 warm-up steps, 30 for tf and mouse).
   */
  static LearningRateSchedule linearDecay(double peak, long warmupSteps, long totalSteps) {
    return step -> {
      if (step < warmupSteps) {
        return peak * step / Math.max(1, warmupSteps);
      }
      return peak * Math.max(0.0, (double) (totalSteps - step)
          / Math.max(1, totalSteps - warmupSteps));
    };
  }

  static LearningRateSchedule constant(double value) {
    return step -> value;
  }

  private static double cosineAnneal(double start, double end, double pct) {
    return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
  }
}
