package io.dnalab.store;

import io.dnalab.result.MetricSet;
import io.dnalab.result.Provenance;
import io.dnalab.result.RunResult;
import java.time.Instant;
import java.util.Map;

/** Rows for store tests, and the main class child processes write them with. */
public final class StoreFixtures {
  private StoreFixtures() {}

  static StoredRun run(String key, String experiment, long seed) {
    MetricSet dev = new MetricSet(100, 0.8, 0.6, 0.79, 0.88, 0.87, 0.45);
    MetricSet test = new MetricSet(120, 0.75, 0.5, 0.74, Double.NaN, 0.81, 0.5);
    RunResult result = new RunResult(experiment, "builtin/quickstart", "nucleotide",
        "convnova-d16-k5", "none", seed, dev, test, 12_345, 3.5 + seed, 1, 10, 1,
        "PyTorch 2.5.1 cpu(), 1 intra-op threads");
    Instant start = Instant.parse("2026-11-21T08:00:00Z").plusSeconds(seed);
    Provenance provenance = Provenance.of("PyTorch 2.5.1 cpu()",
        Map.of("builtin/quickstart/train", "ab12"), start, start.plusMillis(3500));
    return new StoredRun(key, result, "{\"seed\":" + seed + "}", provenance);
  }

  /** {@code STORE PREFIX COUNT}: records COUNT rows keyed PREFIX-i, one transaction each. */
  public static void main(String[] args) {
    try (ResultStore store = ResultStore.open(java.nio.file.Path.of(args[0]))) {
      int count = Integer.parseInt(args[2]);
      for (int i = 0; i < count; i++) {
        store.record(run(args[1] + "-" + i, args[1], i));
      }
    }
  }
}
