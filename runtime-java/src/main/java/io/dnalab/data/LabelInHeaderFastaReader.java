package io.dnalab.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads a labelled FASTA file in the layout of the Nucleotide Transformer downstream tasks
 * (InstaDeepAI/nucleotide_transformer_downstream_tasks, {@code <task>/train.fna} and {@code
 * <task>/test.fna}): the header ends with {@code |LABEL}, an integer class index, e.g. {@code
 * >chr5:1000-1300|1}. The label is the text after the last {@code |} of the whole header line,
 * as the dataset's loading script takes it ({@code name.split("|")[-1]}). The record's id is the
 * header's first word without its {@code |LABEL} ({@code chr5:1000-1300}).
 *
 * <p>Bases are read under {@link BasePolicy#STRICT} by {@link FastaReader} (plain or gzip; a
 * truncated gzip file, invalid bases, an empty record or a repeated id are fatal errors naming
 * file, line, column and value). Record errors, skippable with {@link
 * ReadOptions#skipBadRecords()} and counted: a header without {@code |LABEL}, a label that is not
 * a class index, a length outside the {@link LengthRule}.
 */
public final class LabelInHeaderFastaReader {
  /** A header that ends with {@code |} and digits: how {@code data check} recognises the layout. */
  private static final Pattern LABELLED_HEADER = Pattern.compile(".*\\|\\s*\\d+\\s*");

  private LabelInHeaderFastaReader() {}

  /** Reads every record of {@code file}. */
  public static ReadResult readAll(Path file, ReadOptions options) {
    RecordChecks checks = new RecordChecks(file, options);
    List<LabeledSequence> records = new ArrayList<>();
    FastaReader.Summary summary = FastaReader.read(file, BasePolicy.STRICT, record -> {
      String header = record.description().isEmpty() ? record.id()
          : record.id() + " " + record.description();
      try {
        int bar = header.lastIndexOf('|');
        if (bar < 0) {
          throw new DataFormatException(file.toString(), record.line(), 1, ">" + header,
              "FASTA header has no label: expected >NAME|LABEL with LABEL a class index 0, 1,"
                  + " ... (the Nucleotide Transformer tasks' layout)");
        }
        // column: '>' is column 1, header character i is column i + 2
        int label = checks.parseLabel(header.substring(bar + 1), record.line(), bar + 3);
        checks.checkLength(record.sequence(), record.line() + 1, 1);
        checks.accept(record.sequence(), label);
        records.add(new LabeledSequence(record.sequence(), label, idOf(record.id())));
      } catch (DataFormatException e) {
        checks.reject(e);
      }
    });
    return new ReadResult(records, checks.finish(summary.sha256()));
  }

  /** A FASTA id without the {@code |LABEL} it may end with. */
  static String idOf(String fastaId) {
    int bar = fastaId.lastIndexOf('|');
    return bar < 0 ? fastaId : fastaId.substring(0, bar);
  }

  /** Whether a header line (with or without its {@code >}) carries a {@code |LABEL}. */
  public static boolean isLabelledHeader(String header) {
    return LABELLED_HEADER.matcher(header).matches();
  }

  /**
   * The first header line of {@code file} (plain or gzip), or null when the file has none before
   * its first sequence line; for recognising the layout without reading the file.
   */
  public static String firstHeader(Path file) {
    try (LineSource lines = new LineSource(file)) {
      String line;
      while ((line = lines.next()) != null) {
        if (line.startsWith(">")) {
          return line.substring(1);
        }
        if (!line.isBlank() && !line.startsWith(";")) {
          return null;
        }
      }
    }
    return null;
  }
}
