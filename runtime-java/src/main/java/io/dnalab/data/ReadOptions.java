package io.dnalab.data;

/**
 * How strictly one file is read.
 *
 * @param numClasses declared number of classes, labels must be in {@code [0, numClasses)}; 0 when
 *     the caller does not know (labels then only need to be non-negative integers)
 * @param lengthRule which sequence lengths are allowed
 * @param skipBadRecords drop records that break the input policy (and count them) instead of
 *     failing; file-level problems (no header, truncated gzip, checksum) always fail
 * @param expectedSha256 sha256 (lower-case hex) of the uncompressed file, checked while reading;
 *     null when unknown
 */
public record ReadOptions(int numClasses, LengthRule lengthRule, boolean skipBadRecords,
    String expectedSha256) {

  public ReadOptions {
    if (numClasses < 0 || numClasses == 1) {
      throw new IllegalArgumentException("numClasses must be 0 (undeclared) or >= 2, got "
          + numClasses);
    }
    if (lengthRule == null) {
      throw new IllegalArgumentException("lengthRule is null");
    }
  }

  /** Strict defaults: classes undeclared, uniform length, no skipping, no checksum. */
  public static ReadOptions strict() {
    return new ReadOptions(0, LengthRule.uniform(), false, null);
  }

  public ReadOptions withNumClasses(int n) {
    return new ReadOptions(n, lengthRule, skipBadRecords, expectedSha256);
  }

  public ReadOptions withLengthRule(LengthRule rule) {
    return new ReadOptions(numClasses, rule, skipBadRecords, expectedSha256);
  }

  public ReadOptions withSkipBadRecords(boolean skip) {
    return new ReadOptions(numClasses, lengthRule, skip, expectedSha256);
  }

  public ReadOptions withExpectedSha256(String sha256) {
    return new ReadOptions(numClasses, lengthRule, skipBadRecords, sha256);
  }
}
