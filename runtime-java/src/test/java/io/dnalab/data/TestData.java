package io.dnalab.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Locates the shared real data (DNALAB_DATA, else ../shared/datasets beside the checkout). */
public final class TestData {
  private TestData() {}

  public static Path root() {
    String env = System.getenv("DNALAB_DATA");
    Path root = env != null && !env.isBlank() ? Path.of(env)
        : Path.of("..", "..", "shared", "datasets").toAbsolutePath().normalize();
    if (!Files.isDirectory(root.resolve("gue"))) {
      throw new IllegalStateException("real test data not found at " + root + ": set DNALAB_DATA"
          + " to the shared datasets folder (it holds gue/ and genomes/)");
    }
    return root;
  }

  static Path genome(String name) {
    Path file = root().resolve("genomes").resolve(name);
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("test genome missing: " + file);
    }
    return file;
  }

  static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path writeGzip(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
        out.write(content.getBytes(StandardCharsets.UTF_8));
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
