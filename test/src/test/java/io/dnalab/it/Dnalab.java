package io.dnalab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/dnalab} the way a user does, and writes notebooks for it to run. */
final class Dnalab {
  private Dnalab() {}

  /** The repository root (failsafe passes it; the fallback serves runs from an IDE). */
  static Path home() {
    String home = System.getProperty("dnalab.home");
    Path root = home != null ? Path.of(home) : Path.of("..").toAbsolutePath().normalize();
    assertThat(root.resolve("bin/dnalab")).as("bin/dnalab under %s", root).isExecutable();
    return root;
  }

  /**
   * The real benchmark data and genomes: {@code DNALAB_DATA}, else {@code ../shared/datasets}
   * beside the checkout (where CI and developer machines have it). Notebooks on GUE tasks and
   * genomes read it through the catalog, which verifies every file's sha256.
   */
  static Path sharedData() {
    String env = System.getenv("DNALAB_DATA");
    Path data = env != null && !env.isBlank() ? Path.of(env)
        : home().resolve("../shared/datasets").normalize();
    assertThat(data.resolve("gue")).as("shared datasets (set DNALAB_DATA)").isDirectory();
    return data;
  }

  /** What a finished command left behind. */
  record Result(int exitCode, String stdout, String stderr) {
    String all() {
      return stdout + stderr;
    }
  }

  static Result run(Path workdir, long timeoutSeconds, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(home().resolve("bin/dnalab").toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("dnalab-out", ".txt");
    Path err = Files.createTempFile("dnalab-err", ".txt");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workdir.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().putIfAbsent("DNALAB_DATA", sharedData().toString());
    Process process = builder.start();
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("bin/dnalab " + String.join(" ", args) + " ran past "
          + timeoutSeconds + " s; stderr:\n" + Files.readString(err));
    }
    Result result = new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    Files.delete(out);
    Files.delete(err);
    return result;
  }

  /** Writes a notebook for the dnalab kernel whose code cells are {@code cells}. */
  static Path notebook(Path file, String... cells) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode nb = json.createObjectNode();
    nb.put("nbformat", 4).put("nbformat_minor", 5);
    ObjectNode kernelspec = nb.putObject("metadata").putObject("kernelspec");
    kernelspec.put("name", "dnalab-kotlin").put("display_name", "Kotlin (dnalab)")
        .put("language", "kotlin");
    ArrayNode array = nb.putArray("cells");
    int id = 0;
    for (String source : cells) {
      ObjectNode cell = array.addObject();
      cell.put("cell_type", "code").put("id", "c" + id++).putNull("execution_count");
      cell.putObject("metadata");
      cell.putArray("outputs");
      cell.put("source", source);
    }
    Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(nb),
        StandardCharsets.UTF_8);
    return file;
  }

  /** The cell every dnalab notebook starts with. */
  static String loadDsl() {
    return "@file:Repository(\"*mavenLocal\")\n@file:DependsOn(\"io.dnalab:dnalab-dsl:0.1.0\")";
  }
}
