package io.dnalab.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a built task as {@code train/dev/test.csv.gz}: {@code sequence,label} first (what every
 * loader reads), then where each window comes from: {@code contig,start,end,strand} with 0-based,
 * half-open coordinates on the forward strand. The gzip header carries no time stamp, so the same
 * task always gives the same bytes.
 */
public final class TaskWriter {
  private TaskWriter() {}

  /** Writes the three splits into {@code folder}; returns the files written. */
  public static List<Path> write(Map<String, List<TaskBuilder.Window>> windows, Path folder) {
    try {
      Files.createDirectories(folder);
      List<Path> written = new java.util.ArrayList<>();
      for (String split : List.of("train", "dev", "test")) {
        Path target = folder.resolve(split + ".csv.gz");
        Path temp = Files.createTempFile(folder, split, ".part");
        try (Writer out = new BufferedWriter(new OutputStreamWriter(
            new GZIPOutputStream(Files.newOutputStream(temp)), StandardCharsets.UTF_8))) {
          out.write("sequence,label,contig,start,end,strand\n");
          for (TaskBuilder.Window w : windows.get(split)) {
            out.write(w.sequence());
            out.write(',');
            out.write(Integer.toString(w.label()));
            out.write(',');
            out.write(w.contig());
            out.write(',');
            out.write(Integer.toString(w.start()));
            out.write(',');
            out.write(Integer.toString(w.end()));
            out.write(',');
            out.write(w.strand() == Strand.REVERSE ? '-' : '+');
            out.write('\n');
          }
        }
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
        written.add(target);
      }
      return written;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write task to " + folder + ": " + e.getMessage(), e);
    }
  }
}
