package io.dnalab.experiment;

import io.dnalab.result.MetricSet;
import io.dnalab.result.Provenance;
import io.dnalab.result.RunResult;
import io.dnalab.spec.SpecJson;
import io.dnalab.store.StoredRun;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A worker process for {@link ConcurrentImportTest}: {@code ARTIFACTS RUNS SEED_OFFSET} goes
 * through the stages {@code 0..RUNS-1} (starting at its offset, so workers meet), and for each:
 * claims it as the {@link Executor} does, "runs" it (marks it ran by an exclusive create of
 * {@code ran/KEY} — a second run of one stage fails that create and the worker exits 3 — and
 * sleeps a little), publishes its result file, releases the claim. It never opens SQLite.
 */
public final class ResultWorkerMain {
  private ResultWorkerMain() {}

  /** The key of test stage {@code i}: a sha256, as real stage keys are. */
  static String key(int i) {
    return SpecJson.sha256Text("stage-" + i);
  }

  static StoredRun run(String key, long seed) {
    MetricSet dev = new MetricSet(100, 0.8, 0.6, 0.79, 0.88, 0.87, 0.45);
    MetricSet test = new MetricSet(120, 0.75, 0.5 + seed / 1000.0, 0.74, Double.NaN, 0.81, 0.5);
    RunResult result = new RunResult("concurrent", "builtin/quickstart", "nucleotide",
        "convnova-d16-k5", "none", seed, dev, test, 12_345, 3.5 + seed, 1, 10, 1,
        "PyTorch 2.5.1 cpu(); 1 intra-op thread");
    Instant start = Instant.parse("2026-12-02T01:00:00Z").plusSeconds(seed);
    Provenance provenance = Provenance.of("PyTorch 2.5.1 cpu()",
        Map.of("builtin/quickstart/train", "ab12"), start, start.plusMillis(3500));
    return new StoredRun(key, key, Map.of("trainer", 1), result, "{\"seed\":" + seed + "}",
        provenance);
  }

  public static void main(String[] args) throws Exception {
    ArtifactStore artifacts = new ArtifactStore(Path.of(args[0]));
    int runs = Integer.parseInt(args[1]);
    int offset = Integer.parseInt(args[2]);
    ResultFiles files = ResultFiles.of(artifacts);
    StageClaims claims = StageClaims.of(artifacts);
    Path ran = artifacts.root().resolve("ran");
    Files.createDirectories(ran);
    for (int n = 0; n < runs; n++) {
      int i = (n + offset) % runs;
      String key = key(i);
      Optional<StageClaims.Claim> claim = claims.claimOrWait(key, () -> files.contains(key),
          Duration.ofMillis(20));
      if (claim.isEmpty()) {
        continue;
      }
      try (StageClaims.Claim held = claim.get()) {
        try {
          Files.writeString(ran.resolve(key), ProcessHandle.current().pid() + "\n",
              java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
          System.err.println("stage " + i + " ran twice: " + Files.readString(ran.resolve(key)));
          System.exit(3);
        }
        Thread.sleep(30 + (i * 7L) % 50);
        files.publish(run(key, i));
      }
    }
    System.out.println("ran " + List.of(ran.toFile().list()).size() + " stages in all");
  }
}
