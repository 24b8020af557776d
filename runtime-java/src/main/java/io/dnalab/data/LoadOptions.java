package io.dnalab.data;

/**
 * How {@link DatasetCatalog#load} treats a task.
 *
 * @param skipBadRecords drop records that break the input policy instead of failing; the count is
 *     returned in {@link SequenceTask#skippedRecords()}
 * @param trainOnDevWhenTrainMissing when the official train split is not available locally (GUE's
 *     prom_300_*, splice and EMP_* tasks on these machines), train on 90% of the official dev split
 *     and select models on the other 10% (every 10th record, so the choice is deterministic), and
 *     test on the official test split. Off by default, because results are then not comparable
 *     with published ones; the returned task's {@link SequenceTask#protocol()} says so.
 * @param allowMixedLengths accept sequences of any length in a task that declares none (local
 *     folders: CSV/TSV, Genomic Benchmarks, labelled FASTA); on by default, since batches are
 *     padded to their longest sequence and masked. Off: every record as long as the first, an
 *     error naming the first record that is not. Catalog tasks always use their declared range.
 * @param offline never download; a file not found locally is an error that says where to put it
 * @param maxLength the longest sequence, in bases, a task that declares no range may hold
 *     (usually the task spec's, {@code TaskSpec.Local#maxLength}); a longer one is refused with
 *     its file, line and length, never truncated. 0: no limit
 */
public record LoadOptions(boolean skipBadRecords, boolean trainOnDevWhenTrainMissing,
    boolean allowMixedLengths, boolean offline, int maxLength) {

  public LoadOptions {
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must be >= 0 (0: no limit), got "
          + maxLength);
    }
  }

  public LoadOptions(boolean skipBadRecords, boolean trainOnDevWhenTrainMissing,
      boolean allowMixedLengths, boolean offline) {
    this(skipBadRecords, trainOnDevWhenTrainMissing, allowMixedLengths, offline, 0);
  }

  /** Strict: no skipping, official splits only, downloads allowed; variable lengths, no limit. */
  public static LoadOptions defaults() {
    return new LoadOptions(false, false, true, false, 0);
  }

  public LoadOptions withSkipBadRecords(boolean value) {
    return new LoadOptions(value, trainOnDevWhenTrainMissing, allowMixedLengths, offline,
        maxLength);
  }

  public LoadOptions withTrainOnDevWhenTrainMissing(boolean value) {
    return new LoadOptions(skipBadRecords, value, allowMixedLengths, offline, maxLength);
  }

  public LoadOptions withAllowMixedLengths(boolean value) {
    return new LoadOptions(skipBadRecords, trainOnDevWhenTrainMissing, value, offline,
        maxLength);
  }

  public LoadOptions withOffline(boolean value) {
    return new LoadOptions(skipBadRecords, trainOnDevWhenTrainMissing, allowMixedLengths, value,
        maxLength);
  }

  public LoadOptions withMaxLength(int value) {
    return new LoadOptions(skipBadRecords, trainOnDevWhenTrainMissing, allowMixedLengths,
        offline, value);
  }

  /** The lengths a task that declares no range may hold under these options. */
  public LengthRule lengthRule() {
    LengthRule rule = allowMixedLengths ? LengthRule.any() : LengthRule.uniform();
    return rule.withMaxLength(maxLength);
  }
}
