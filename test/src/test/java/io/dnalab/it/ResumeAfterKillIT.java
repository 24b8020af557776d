package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a grid, then the same command again: every run committed before the
 * kill is skipped (its row untouched), the rest run, and the store ends with every run once. The
 * grid trains a BPE tokenizer first (an artifact stage), so the rerun also finds a published
 * artifact and skips its stage.
 */
class ResumeAfterKillIT {

  @Test
  void aGridKilledMidwayResumesWithoutRecomputingOrLosingARun(@TempDir Path dir)
      throws Exception {
    Path spec = Files.writeString(dir.resolve("grid.json"), EngineRuns.spec("resume",
        EngineRuns.NUCLEOTIDE + ", " + EngineRuns.BPE, EngineRuns.CONV, 3));
    Path store = dir.resolve("results.sqlite");
    Path firstLog = dir.resolve("first.log");

    Process first = EngineRuns.start(dir, spec, store, firstLog);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    Map<String, String> committed = EngineRuns.rows(store);
    while (committed.size() < 2) {
      assertThat(first.isAlive()).as("still running:\n%s", Files.readString(firstLog)).isTrue();
      assertThat(System.nanoTime()).as("two runs committed within 90 s").isLessThan(deadline);
      Thread.sleep(100);
      committed = EngineRuns.rows(store);
    }
    first.destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
    assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(first.exitValue()).as("killed by signal 9").isEqualTo(137);
    Map<String, String> afterKill = EngineRuns.rows(store);
    assertThat(afterKill).as("the rows committed before the kill").containsAllEntriesOf(committed);
    assertThat(afterKill.size()).as("killed mid-grid").isBetween(2, 5);

    Path secondLog = dir.resolve("second.log");
    EngineRuns.awaitSuccess(EngineRuns.start(dir, spec, store, secondLog), secondLog, 120);
    String log = Files.readString(secondLog);
    List<String> skipped = log.lines().filter(l -> l.startsWith("skip ")).toList();
    List<String> ran = log.lines().filter(l -> l.startsWith("done ")).toList();

    Map<String, String> all = EngineRuns.rows(store);
    assertThat(all).hasSize(6);
    // None recomputed: the same rows with the same finish times, each reported as skipped.
    assertThat(all).containsAllEntriesOf(afterKill);
    assertThat(skipped).as(log).hasSize(afterKill.size() + 1)
        .anyMatch(line -> line.startsWith("skip  bpe64 on builtin/leptospira_coding_vs_intergenic"
            + " train"));
    try (var tokenizers = Files.list(dir.resolve("cache/artifacts/tokenizer"))) {
      assertThat(tokenizers.toList()).singleElement()
          .satisfies(folder -> assertThat(folder.resolve("tokenizer.json")).isNotEmptyFile());
    }
    for (String key : afterKill.keySet()) {
      assertThat(skipped).anyMatch(line -> line.contains("(done, " + key.substring(0, 12) + ")"));
    }
    assertThat(ran).as(log).hasSize(6 - afterKill.size());
    assertThat(log).contains("6 fine-tuning + evaluation (" + afterKill.size() + " done, "
        + (6 - afterKill.size()) + " to run)");
    assertThat(EngineRuns.integrityCheck(store)).isEqualTo("ok");
    // Nothing half-written was published: no temp folder of the killed process is left behind.
    Path temp = dir.resolve("cache/artifacts/.tmp");
    if (Files.isDirectory(temp)) {
      try (var left = Files.list(temp)) {
        assertThat(left).isEmpty();
      }
    }

    // A third run of the finished grid computes nothing.
    Path thirdLog = dir.resolve("third.log");
    long start = System.nanoTime();
    EngineRuns.awaitSuccess(EngineRuns.start(dir, spec, store, thirdLog), thirdLog, 60);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertThat(Files.readString(thirdLog).lines().filter(l -> l.startsWith("skip "))).hasSize(7);
    assertThat(Files.readString(thirdLog)).doesNotContain("done ");
    assertThat(EngineRuns.rows(store)).isEqualTo(all);
    System.out.printf("finished grid re-run: %.1f s%n", seconds);
  }
}
