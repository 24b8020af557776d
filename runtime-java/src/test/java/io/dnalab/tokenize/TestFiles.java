package io.dnalab.tokenize;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Test fixtures (src/test/resources/tokenize) and the shared datasets folder. */
final class TestFiles {
  private TestFiles() {}

  static Path resource(String name) {
    try {
      var url = TestFiles.class.getResource("/tokenize/" + name);
      if (url == null) {
        throw new IllegalStateException("missing test resource tokenize/" + name);
      }
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lines of a gzip resource. */
  static List<String> gzipLines(String name) {
    try (var in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(resource(name))), StandardCharsets.UTF_8))) {
      List<String> lines = new ArrayList<>();
      for (String line; (line = in.readLine()) != null; ) {
        lines.add(line);
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int[] ids(String line) {
    if (line.isBlank()) {
      return new int[0];
    }
    String[] parts = line.trim().split(" ");
    int[] ids = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      ids[i] = Integer.parseInt(parts[i]);
    }
    return ids;
  }

  /** DNALAB_DATA, else ../../shared/datasets from the module folder (where CI has it); fails clearly if absent. */
  static Path datasets() {
    String env = System.getenv("DNALAB_DATA");
    Path dir = env != null && !env.isBlank() ? Path.of(env) : Path.of("../../shared/datasets");
    if (!Files.isDirectory(dir.resolve("genomes"))) {
      throw new IllegalStateException(
          "shared datasets not found at " + dir.toAbsolutePath()
              + ": set DNALAB_DATA to the datasets folder (see shared/datasets/README.md)");
    }
    return dir;
  }

  /** The sequence column of a GUE split. */
  static List<String> gue(String task, String split) {
    Path file = datasets().resolve("gue").resolve(task).resolve(split + ".csv.gz");
    try (var in = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
      List<String> out = new ArrayList<>();
      String header = in.readLine();
      if (header == null || !header.startsWith("sequence,")) {
        throw new IllegalStateException(file + ": expected a 'sequence,label' header");
      }
      for (String line; (line = in.readLine()) != null; ) {
        out.add(line.substring(0, line.indexOf(',')));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
