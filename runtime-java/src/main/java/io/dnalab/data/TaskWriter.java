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
 * half-open coordinates on the forward strand, and an {@code id} column only where windows have
 * names of their own (BED names; {@link CsvSequenceReader} gives the others their coordinates as
 * id). The gzip header carries no time stamp, so the same
 * task always gives the same bytes.
 */
public final class TaskWriter {
  private TaskWriter() {}

  /** Writes the three splits into {@code folder}; returns the files written. */
  public static List<Path> write(Map<String, List<TaskBuilder.Window>> windows, Path folder) {
    try {
      Files.createDirectories(folder);
      List<Path> written = new java.util.ArrayList<>();
      boolean named = windows.values().stream().flatMap(List::stream)
          .anyMatch(w -> w.name() != null);
      for (String split : List.of("train", "dev", "test")) {
        Path target = folder.resolve(split + ".csv.gz");
        Path temp = Files.createTempFile(folder, split, ".part");
        try (Writer out = new BufferedWriter(new OutputStreamWriter(
            new GZIPOutputStream(Files.newOutputStream(temp)), StandardCharsets.UTF_8))) {
          out.write(named ? "sequence,label,contig,start,end,strand,id\n"
              : "sequence,label,contig,start,end,strand\n");
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
            out.write(strandSymbol(w.strand()));
            if (named) {
              out.write(',');
              out.write(csvField(w.id()));
            }
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

  /** The strand column's value: {@code -} for the reverse strand, else {@code +}. */
  static String strandSymbol(Strand strand) {
    return strand == Strand.REVERSE ? "-" : "+";
  }

  /** A field quoted (RFC 4180) where it holds a comma, quote or line end. */
  private static String csvField(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0
        && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
