package io.dnalab.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.dnalab.result.MetricSet;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarListenerTest {

  @Test
  void drawsLabelStepsLossAndDevScore() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ProgressBarListener listener = new ProgressBarListener(
        new PrintStream(bytes, true, StandardCharsets.UTF_8));
    listener.onRunStart("tf_0 convnova s1", 1, 4, 1000);
    for (long step = 1; step <= 4; step++) {
      listener.onStep(1, step, 4, 0.5, 1e-3);
    }
    MetricSet dev = new MetricSet(10, 0.9, 0.8, 0.9, 0.95, 0.93, 0.3);
    listener.onEpochEnd(1, dev, true);
    listener.onStep(1, 4, 4, 0.5, 1e-3);
    listener.onRunEnd(new FineTuneResult(dev, dev, List.of(dev), 1, 1, 4, 1000, 10, 1, 1, "cpu"));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("tf_0 convnova s1").contains("4/4").contains("loss 0.5000")
        .contains("dev mcc 0.80");
  }
}
