package io.dnalab.data;

import java.util.List;

/**
 * What reading one file found.
 *
 * @param records records delivered to the consumer
 * @param skipped records dropped because {@link ReadOptions#skipBadRecords()} was set
 * @param skippedExamples the messages of the first few skipped records (at most {@link
 *     #MAX_EXAMPLES}), so a person can see what was dropped
 * @param sha256 sha256 of the uncompressed bytes, lower-case hex
 * @param maxLabel the largest label read, -1 when there was none
 */
public record ReadSummary(String file, long records, long skipped, List<String> skippedExamples,
    String sha256, int minLength, int maxLength, int maxLabel) {

  public static final int MAX_EXAMPLES = 10;

  public ReadSummary {
    skippedExamples = List.copyOf(skippedExamples);
  }
}
