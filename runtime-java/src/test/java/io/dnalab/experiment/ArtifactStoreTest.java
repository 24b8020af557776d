package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.spec.SpecJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {
  private static final String KEY = SpecJson.sha256("an artifact");

  @Test
  void aPublishedArtifactIsFoundAndNeverWrittenTwice(@TempDir Path dir) {
    ArtifactStore store = new ArtifactStore(dir);
    AtomicInteger writes = new AtomicInteger();
    assertThat(store.find("tokenizer", KEY)).isEmpty();
    Path published = store.put("tokenizer", KEY, folder -> {
      writes.incrementAndGet();
      Files.writeString(folder.resolve("tokenizer.json"), "{}");
    });
    assertThat(published).isEqualTo(dir.resolve("tokenizer").resolve(KEY));
    assertThat(store.find("tokenizer", KEY)).hasValue(published);
    store.put("tokenizer", KEY, folder -> writes.incrementAndGet());
    assertThat(writes).hasValue(1);
    assertThat(store.keys("tokenizer")).containsExactly(KEY);
  }

  @Test
  void aFailingWriterPublishesNothingAndLeavesNoTempFolder(@TempDir Path dir) throws Exception {
    ArtifactStore store = new ArtifactStore(dir);
    assertThatThrownBy(() -> store.put("tokenizer", KEY, folder -> {
      Files.writeString(folder.resolve("half.json"), "{");
      throw new IOException("disk full");
    })).hasMessageContaining("cannot write artifact tokenizer/" + KEY + ": disk full");
    assertThat(store.find("tokenizer", KEY)).isEmpty();
    try (var temps = Files.list(dir.resolve(".tmp"))) {
      assertThat(temps).isEmpty();
    }
  }

  /**
   * A stage's training state lives under its key until the stage is published: a failed writer
   * keeps it for the next attempt, a published artifact drops it, and it is never an artifact.
   */
  @Test
  void theTrainingStateOfAStageStaysUntilItsArtifactIsPublished(@TempDir Path dir)
      throws Exception {
    ArtifactStore store = new ArtifactStore(dir);
    Path partial = store.partialFolder("pretrain", KEY);
    assertThat(partial).isDirectory().isEqualTo(dir.resolve(".partial/pretrain").resolve(KEY));
    Files.writeString(partial.resolve("training.state"), "state");
    assertThatThrownBy(() -> store.put("pretrain", KEY, folder -> {
      throw new IOException("killed");
    })).hasMessageContaining("killed");
    assertThat(partial.resolve("training.state")).hasContent("state");
    assertThat(store.keys("pretrain")).isEmpty();
    assertThat(store.cleanAbandoned()).isZero();
    assertThat(partial.resolve("training.state")).exists();

    store.put("pretrain", KEY, folder -> Files.writeString(folder.resolve("encoder.params"), ""));
    assertThat(partial).doesNotExist();
    assertThat(store.keys("pretrain")).containsExactly(KEY);

    Path finetune = store.partialFolder("finetune", KEY);
    store.removePartial("finetune", KEY);
    assertThat(finetune).doesNotExist();
    store.removePartial("finetune", KEY); // nothing left: no error
  }

  @Test
  void keysAndKindsAreChecked(@TempDir Path dir) {
    ArtifactStore store = new ArtifactStore(dir);
    assertThatThrownBy(() -> store.find("tokenizer", "../etc"))
        .hasMessageContaining("must be a lower-case hex digest");
    assertThatThrownBy(() -> store.find("Tok/x", KEY)).hasMessageContaining("artifact kind");
  }

  /**
   * A writer process killed with SIGKILL in the middle of writing: no reader ever sees its
   * artifact, its temp folder is cleaned once the process is gone, and a rerun publishes it.
   */
  @Test
  void aWriterKilledMidwayLeavesNothingAReaderCanSee(@TempDir Path dir) throws Exception {
    Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"),
        SlowArtifactWriter.class.getName(), dir.toString(), KEY).redirectErrorStream(true)
        .start();
    Path temp = dir.resolve(".tmp");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    // Wait until the writer has written part of its artifact.
    while (!partWritten(temp)) {
      assertThat(System.nanoTime()).as("the writer started writing").isLessThan(deadline);
      assertThat(writer.isAlive()).isTrue();
      Thread.sleep(20);
    }
    ArtifactStore store = new ArtifactStore(dir);
    assertThat(store.find("pretrain", KEY)).as("nothing published while writing").isEmpty();
    assertThat(store.cleanAbandoned()).as("a live writer's folder is kept").isZero();
    writer.destroyForcibly(); // SIGKILL
    assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();

    assertThat(store.find("pretrain", KEY)).isEmpty();
    assertThat(store.cleanAbandoned()).isEqualTo(1);
    try (var temps = Files.list(temp)) {
      assertThat(temps).isEmpty();
    }
    Path published = store.put("pretrain", KEY, folder -> SlowArtifactWriter.write(folder, 0));
    assertThat(Files.readString(published.resolve("part-0002.bin"))).isEqualTo("part 2");
  }

  private static boolean partWritten(Path temp) throws IOException {
    if (!Files.isDirectory(temp)) {
      return false;
    }
    try (var folders = Files.list(temp)) {
      for (Path folder : folders.toList()) {
        if (Files.exists(folder.resolve("part-0001.bin"))) {
          return true;
        }
      }
    }
    return false;
  }
}
