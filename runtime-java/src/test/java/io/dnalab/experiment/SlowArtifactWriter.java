package io.dnalab.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code ROOT KEY}: publishes pretrain/KEY, writing a part every 50 ms for 20 s (to be killed). */
public final class SlowArtifactWriter {
  private SlowArtifactWriter() {}

  static void write(Path folder, long pauseMillis) throws IOException {
    for (int i = 0; i < (pauseMillis == 0 ? 3 : 400); i++) {
      Files.writeString(folder.resolve(String.format("part-%04d.bin", i)), "part " + i);
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public static void main(String[] args) {
    new ArtifactStore(Path.of(args[0])).put("pretrain", args[1], folder -> write(folder, 50));
  }
}
