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
 *     folders); catalog tasks always use their declared length range
 * @param offline never download; a file not found locally is an error that says where to put it
 */
public record LoadOptions(boolean skipBadRecords, boolean trainOnDevWhenTrainMissing,
    boolean allowMixedLengths, boolean offline) {

  /** Strict: no skipping, official splits only, uniform lengths, downloads allowed. */
  public static LoadOptions defaults() {
    return new LoadOptions(false, false, false, false);
  }

  public LoadOptions withSkipBadRecords(boolean value) {
    return new LoadOptions(value, trainOnDevWhenTrainMissing, allowMixedLengths, offline);
  }

  public LoadOptions withTrainOnDevWhenTrainMissing(boolean value) {
    return new LoadOptions(skipBadRecords, value, allowMixedLengths, offline);
  }

  public LoadOptions withAllowMixedLengths(boolean value) {
    return new LoadOptions(skipBadRecords, trainOnDevWhenTrainMissing, value, offline);
  }

  public LoadOptions withOffline(boolean value) {
    return new LoadOptions(skipBadRecords, trainOnDevWhenTrainMissing, allowMixedLengths, value);
  }
}
