package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A grid submitted to a real Slurm: slurmctld and slurmd on this machine
 * ({@code src/test/slurm/local-slurm.sh}, Debian's slurm-wlm and munge, which bin/dnalab test
 * installs). Where Slurm cannot start, the test fails with the reason: it never skips.
 */
class SlurmIT {
  private static final long SECONDS = 600;

  @TempDir
  Path dir;
  private Path slurmDir;

  @AfterEach
  void stopSlurm() throws Exception {
    if (slurmDir != null) {
      new ProcessBuilder(script().toString(), "stop", slurmDir.toString()).inheritIO().start()
          .waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aGridRunsOnSlurmAndAResubmissionRunsExactlyWhatWasCancelled() throws Exception {
    Path conf = startSlurm();
    Path store = dir.resolve("shared.sqlite");
    Path spec = Files.writeString(dir.resolve("grid.json"),
        EngineRuns.spec("slurm-grid", EngineRuns.CONV + ", " + EngineRuns.UNET, 3));

    // Six runs: two models × three seeds, two tasks at a time on the node's cores.
    String submitted = cli(conf, "submit", spec.toString(), "--slurm", "--results",
        store.toString(), "--cpus-per-task", "1", "--max-parallel", "2");
    assertThat(submitted).contains("submitted finetune  job ", ": 6 stages");
    String status = awaitNothingQueuedOrRunning(conf, spec, store);
    assertThat(status.lines().filter(l -> l.startsWith("done "))).as(status).hasSize(6);
    assertThat(EngineRuns.rows(store)).hasSize(6);
    assertThat(EngineRuns.integrityCheck(store)).isEqualTo("ok");
    assertThat(cli(conf, "submit", spec.toString(), "--slurm", "--results", store.toString()))
        .contains("nothing to submit");

    // Two more seeds: four new runs, one task at a time; the last waits in the queue and is
    // cancelled there.
    Files.writeString(spec,
        EngineRuns.spec("slurm-grid", EngineRuns.CONV + ", " + EngineRuns.UNET, 5));
    String second = cli(conf, "submit", spec.toString(), "--slurm", "--results",
        store.toString(), "--cpus-per-task", "1", "--max-parallel", "1");
    assertThat(second).contains(": 4 stages");
    String jobId = second.replaceAll("(?s).*submitted finetune\\s+job (\\d+).*", "$1");
    Path folder = Path.of(second.replaceAll("(?s).*scripts, keys and logs in (\\S+).*", "$1"));
    String cancelledKey = Files.readAllLines(folder.resolve("finetune.keys")).get(3);
    run(conf, "scancel", jobId + "_3");
    status = awaitNothingQueuedOrRunning(conf, spec, store);
    assertThat(status.lines().filter(l -> l.startsWith("done "))).as(status).hasSize(9);
    assertThat(status.lines().filter(l -> l.startsWith("missing "))).as(status).singleElement()
        .asString().contains(cancelledKey.substring(0, 12));

    String third = cli(conf, "submit", spec.toString(), "--slurm", "--results",
        store.toString(), "--cpus-per-task", "1");
    assertThat(third).contains(": 1 stage\n");
    Path resubmitted = Path.of(third.replaceAll("(?s).*scripts, keys and logs in (\\S+).*", "$1"));
    assertThat(Files.readAllLines(resubmitted.resolve("finetune.keys")))
        .containsExactly(cancelledKey);
    status = awaitNothingQueuedOrRunning(conf, spec, store);
    assertThat(status.lines().filter(l -> l.startsWith("done "))).as(status).hasSize(10);
    Map<String, String> rows = EngineRuns.rows(store);
    assertThat(rows).hasSize(10).containsKey(cancelledKey);
    assertThat(EngineRuns.integrityCheck(store)).isEqualTo("ok");
  }

  private static Path script() {
    return Dnalab.home().resolve("test/src/test/slurm/local-slurm.sh");
  }

  private Path startSlurm() throws Exception {
    slurmDir = Files.createDirectories(dir.resolve("slurm-daemons"));
    Process start = new ProcessBuilder(script().toString(), "start", slurmDir.toString())
        .redirectErrorStream(true).start();
    String out = new String(start.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(start.waitFor(90, TimeUnit.SECONDS)).as("local Slurm started in 90 s").isTrue();
    assertThat(start.exitValue()).as("a single-node Slurm must start here:\n" + out).isZero();
    return Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow());
  }

  /** The CLI's output (stdout and stderr), after asserting it exited 0. */
  private String cli(Path conf, String... args) throws Exception {
    Path log = Files.createTempFile(dir, "cli", ".log");
    Process process = EngineRuns.cli(dir, log, slurmEnvironment(conf), args);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(process.exitValue()).as(String.join(" ", args) + ":\n" + out).isZero();
    return out;
  }

  /** Slurm's commands find this cluster through SLURM_CONF. */
  private static Map<String, String> slurmEnvironment(Path conf) {
    return Map.of("SLURM_CONF", conf.toString(), "PATH", System.getenv("PATH") + ":/usr/sbin");
  }

  private String run(Path conf, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(slurmEnvironment(conf));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }

  /** Polls {@code dnalab status} until no stage is queued or running; its last output. */
  private String awaitNothingQueuedOrRunning(Path conf, Path spec, Path store) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    String status = "";
    while (System.nanoTime() < deadline) {
      status = cli(conf, "status", spec.toString(), "--results", store.toString());
      List<String> busy = status.lines()
          .filter(l -> l.startsWith("queued ") || l.startsWith("running ")).toList();
      if (busy.isEmpty()) {
        return status;
      }
      Thread.sleep(2000);
    }
    throw new AssertionError("stages still queued or running after " + SECONDS + " s:\n" + status
        + "\nslurmd log:\n" + Files.readString(slurmDir.resolve("log/slurmd.log")));
  }
}
