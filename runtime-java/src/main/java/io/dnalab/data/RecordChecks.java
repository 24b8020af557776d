package io.dnalab.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The record-level input policy shared by the readers: labels, lengths, skipping and counting.
 * One instance per file read.
 */
final class RecordChecks {
  private final String file;
  private final ReadOptions options;
  private int firstLength = -1;
  private long firstLengthLine;
  private String firstLengthFile;
  private long records;
  private long skipped;
  private final List<String> skippedExamples = new ArrayList<>();
  private int minLength = Integer.MAX_VALUE;
  private int maxLength;
  private int maxLabel = -1;

  RecordChecks(Path file, ReadOptions options) {
    this.file = file.toString();
    this.options = options;
  }

  String file() {
    return file;
  }

  /** Parses a label: a non-negative integer below the declared number of classes. */
  int parseLabel(String raw, long line, int column) {
    String text = raw.strip();
    if (text.isEmpty()) {
      throw new DataFormatException(file, line, column, raw, "missing label");
    }
    int label;
    try {
      label = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new DataFormatException(file, line, column, raw,
          "label is not an integer (labels are class indices 0, 1, ...)");
    }
    int numClasses = options.numClasses();
    if (label < 0 || (numClasses > 0 && label >= numClasses)) {
      String allowed = numClasses > 0 ? "0.." + (numClasses - 1) + " (" + numClasses
          + " declared classes)" : "a non-negative integer";
      throw new DataFormatException(file, line, column, raw,
          "label " + label + " is outside the declared classes, expected " + allowed);
    }
    return label;
  }

  /** Checks the length of an already validated sequence against the rule. */
  void checkLength(String sequence, long line, int column) {
    checkLength(sequence, file, line, column);
  }

  /**
   * The same for a record of another file than the one this instance was made for (the many
   * one-sequence files of a Genomic Benchmarks split folder).
   */
  void checkLength(String sequence, String recordFile, long line, int column) {
    int length = sequence.length();
    LengthRule rule = options.lengthRule();
    if (rule.maxFromSpec() && length > rule.max()) {
      throw new DataFormatException(recordFile, line, column, sequence, "sequence length "
          + length + " is longer than the task's maxLength of " + rule.max() + " bases (longer"
          + " sequences are refused, not truncated: raise maxLength or shorten the record)");
    }
    if (rule.sameAsFirst()) {
      if (firstLength < 0) {
        firstLength = length;
        firstLengthLine = line;
        firstLengthFile = recordFile;
      } else if (length != firstLength) {
        String first = recordFile.equals(firstLengthFile) ? "the length at line " + firstLengthLine
            : "the length in " + firstLengthFile;
        throw new DataFormatException(recordFile, line, column, sequence,
            "sequence length " + length + " differs from " + firstLength + " (" + first
                + "); mixed lengths need an explicit length range");
      }
    } else if (length < rule.min() || length > rule.max()) {
      throw new DataFormatException(recordFile, line, column, sequence,
          "sequence length " + length + " is outside the declared length " + rule);
    }
  }

  /**
   * Handles a record-level error: rethrows it, or counts it when the user asked to skip bad
   * records.
   */
  void reject(DataFormatException e) {
    if (!options.skipBadRecords()) {
      throw e;
    }
    skipped++;
    if (skippedExamples.size() < ReadSummary.MAX_EXAMPLES) {
      skippedExamples.add(e.getMessage());
    }
  }

  void accept(String sequence, int label) {
    records++;
    minLength = Math.min(minLength, sequence.length());
    maxLength = Math.max(maxLength, sequence.length());
    maxLabel = Math.max(maxLabel, label);
  }

  /** Verifies the checksum (when one is expected) and summarizes the file. */
  ReadSummary finish(String sha256) {
    String expected = options.expectedSha256();
    if (expected != null && !expected.equalsIgnoreCase(sha256)) {
      throw new DataFormatException(file, 0, 0, null,
          "sha256 of the uncompressed content is " + sha256 + " but the catalog expects "
              + expected + "; the file is not the published one (replace it, or remove it to"
              + " let dnalab fetch it again)");
    }
    return new ReadSummary(file, records, skipped, skippedExamples, sha256,
        records == 0 ? 0 : minLength, maxLength, maxLabel);
  }
}
