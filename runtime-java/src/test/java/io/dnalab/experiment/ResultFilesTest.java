package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.store.ResultStore;
import io.dnalab.store.StoredRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultFilesTest {

  @Test
  void aPublishedRunReadsBackEqualAndLeavesNoTempFile(@TempDir Path dir) throws Exception {
    ResultFiles files = new ResultFiles(dir.resolve("results"));
    StoredRun run = ResultWorkerMain.run(ResultWorkerMain.key(3), 3);
    Path file = files.publish(run);
    assertThat(file.getFileName().toString()).isEqualTo(run.key() + ".json");
    assertThat(files.read(run.key())).contains(run);
    assertThat(files.keys()).containsExactly(run.key());
    try (var entries = Files.list(files.folder())) {
      assertThat(entries.toList()).containsExactly(file);
    }
    assertThat(files.read(ResultWorkerMain.key(4))).isEmpty();
  }

  @Test
  void importIsIdempotentAndKeepsTheStoredRow(@TempDir Path dir) {
    ResultFiles files = new ResultFiles(dir.resolve("results"));
    for (int i = 0; i < 3; i++) {
      files.publish(ResultWorkerMain.run(ResultWorkerMain.key(i), i));
    }
    try (ResultStore store = ResultStore.open(dir.resolve("results.sqlite"))) {
      assertThat(files.importInto(store)).isEqualTo(3);
      assertThat(files.importInto(store)).isZero();
      files.publish(ResultWorkerMain.run(ResultWorkerMain.key(3), 3));
      assertThat(files.importInto(store)).isEqualTo(1);
      assertThat(store.count()).isEqualTo(4);
      assertThat(store.find(ResultWorkerMain.key(2)).orElseThrow())
          .isEqualTo(ResultWorkerMain.run(ResultWorkerMain.key(2), 2));
      assertThat(store.importRuns(List.of(ResultWorkerMain.run(ResultWorkerMain.key(2), 99))))
          .as("a key already stored keeps its first row").isZero();
    }
  }

  @Test
  void aDamagedFileIsNamedWhenImported(@TempDir Path dir) throws Exception {
    ResultFiles files = new ResultFiles(dir.resolve("results"));
    Files.createDirectories(files.folder());
    Path bad = files.location(ResultWorkerMain.key(7));
    Files.writeString(bad, "{\"format\": 1, \"key\": ");
    try (ResultStore store = ResultStore.open(dir.resolve("results.sqlite"))) {
      assertThatThrownBy(() -> files.importInto(store)).hasMessageContaining(bad.toString());
    }
  }
}
