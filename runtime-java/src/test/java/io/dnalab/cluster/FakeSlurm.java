package io.dnalab.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Stand-ins for {@code sbatch} and {@code squeue} in a folder, as real executables: sbatch
 * records its arguments (one line per call) and prints the next job id from 100; squeue prints
 * whatever the test put in {@code queue.txt} and records its arguments too. They let the
 * submission logic run its real process calls without a cluster; {@code SlurmIT} runs the real
 * one.
 */
public final class FakeSlurm {
  public final Path bin;

  public FakeSlurm(Path dir) throws IOException {
    this.bin = Files.createDirectories(dir);
    write("sbatch", """
        #!/usr/bin/env bash
        here="$(cd "$(dirname "$0")" && pwd)"
        echo "$*" >> "$here/sbatch.calls"
        next=$(( $(cat "$here/next-id" 2>/dev/null || echo 100) ))
        echo $(( next + 1 )) > "$here/next-id"
        echo "$next"
        """);
    write("squeue", """
        #!/usr/bin/env bash
        here="$(cd "$(dirname "$0")" && pwd)"
        echo "$*" >> "$here/squeue.calls"
        cat "$here/queue.txt" 2>/dev/null
        exit 0
        """);
  }

  private void write(String name, String text) throws IOException {
    Path file = bin.resolve(name);
    Files.writeString(file, text, StandardCharsets.UTF_8);
    file.toFile().setExecutable(true);
  }

  /** What squeue reports from now on, e.g. {@code 100_0|RUNNING}. */
  public void queue(String... lines) throws IOException {
    Files.write(bin.resolve("queue.txt"), List.of(lines), StandardCharsets.UTF_8);
  }

  public List<String> sbatchCalls() throws IOException {
    Path calls = bin.resolve("sbatch.calls");
    return Files.exists(calls) ? Files.readAllLines(calls, StandardCharsets.UTF_8) : List.of();
  }

  public List<String> squeueCalls() throws IOException {
    Path calls = bin.resolve("squeue.calls");
    return Files.exists(calls) ? Files.readAllLines(calls, StandardCharsets.UTF_8) : List.of();
  }
}
