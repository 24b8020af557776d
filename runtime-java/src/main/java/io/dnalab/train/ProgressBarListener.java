package io.dnalab.train;

import io.dnalab.result.MetricSet;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar per run (steps, loss, learning rate, last dev score). */
public final class ProgressBarListener implements TrainingListener {
  private final PrintStream out;
  private ProgressBar bar;
  private String lastDev = "";
  private double smoothedLoss = Double.NaN;

  public ProgressBarListener(PrintStream out) {
    this.out = out;
  }

  @Override
  public void onRunStart(String label, int epochs, long totalSteps, long parameters) {
    bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(totalSteps)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
        .setConsumer(new ConsoleProgressBarConsumer(out)).build();
    smoothedLoss = Double.NaN;
    lastDev = "";
  }

  @Override
  public void onStep(int epoch, long step, long totalSteps, double loss, double learningRate) {
    smoothedLoss = Double.isNaN(smoothedLoss) ? loss : 0.98 * smoothedLoss + 0.02 * loss;
    bar.stepTo(step);
    // Dev score before the learning rate: the bar is cut at the terminal's width.
    bar.setExtraMessage(String.format(Locale.ROOT, "ep %d loss %.4f%s lr %.1e", epoch,
        smoothedLoss, lastDev, learningRate));
  }

  @Override
  public void onEpochEnd(int epoch, MetricSet dev, boolean improved) {
    lastDev = String.format(Locale.ROOT, " dev mcc %.3f%s", dev.mcc(), improved ? "*" : "");
    if (bar != null) {
      bar.setExtraMessage(String.format(Locale.ROOT, "ep %d loss %.4f%s", epoch, smoothedLoss,
          lastDev));
      bar.refresh(); // epochs are rare: show the dev score now, not at the next redraw
    }
  }

  @Override
  public void onRunEnd(FineTuneResult result) {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }
}
