package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code dnalab run} processes writing one result store at the same time, one of them
 * overlapping the other's grid: the file stays sound and holds every run exactly once.
 */
class ConcurrentStoreIT {

  @Test
  void twoProcessesWritingOneStoreLoseNothing(@TempDir Path dir) throws Exception {
    Path store = dir.resolve("shared.sqlite");
    Path a = Files.writeString(dir.resolve("a.json"), EngineRuns.spec("a", EngineRuns.CONV, 3));
    // b asks for a's three runs too (same cell and seeds, another experiment name) plus three of
    // its own: whichever process finishes a shared run first keeps its row.
    Path b = Files.writeString(dir.resolve("b.json"), EngineRuns.spec("b",
        EngineRuns.CONV + ", " + EngineRuns.UNET, 3));
    Process first = EngineRuns.start(dir, a, store, dir.resolve("a.log"));
    Process second = EngineRuns.start(dir, b, store, dir.resolve("b.log"));
    EngineRuns.awaitSuccess(first, dir.resolve("a.log"), 150);
    EngineRuns.awaitSuccess(second, dir.resolve("b.log"), 150);

    assertThat(EngineRuns.integrityCheck(store)).isEqualTo("ok");
    Map<String, String> rows = EngineRuns.rows(store);
    assertThat(rows).as(Files.readString(dir.resolve("a.log")) + Files.readString(
        dir.resolve("b.log"))).hasSize(6);
    // Both report every run of their grid, whichever process computed it.
    assertThat(Files.readString(dir.resolve("b.log")).lines()
        .filter(l -> l.startsWith("done ") || l.startsWith("skip "))).hasSize(6);
  }
}
