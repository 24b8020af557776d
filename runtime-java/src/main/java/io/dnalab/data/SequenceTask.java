package io.dnalab.data;

import java.util.List;

/**
 * A labelled sequence-classification task with its three splits. Models select on {@code dev} and
 * report on {@code test}.
 *
 * @param protocol how the splits relate to the published benchmark: {@link #OFFICIAL_SPLITS} when
 *     they are the published train/dev/test files, otherwise a sentence a report can quote (e.g.
 *     that the model trains on the official dev split because the train split is not available)
 * @param skippedRecords bad input records dropped while loading, only ever non-zero when the user
 *     asked for {@link LoadOptions#skipBadRecords()}; reports must show it
 */
public record SequenceTask(String name, int numClasses, List<LabeledSequence> train,
    List<LabeledSequence> dev, List<LabeledSequence> test, String protocol,
    long skippedRecords) {

  /** The protocol note of a task whose splits are exactly the published ones. */
  public static final String OFFICIAL_SPLITS = "official splits";

  public SequenceTask {
    if (numClasses < 2) {
      throw new IllegalArgumentException(name + ": a task needs at least 2 classes, got "
          + numClasses);
    }
    train = List.copyOf(train);
    dev = List.copyOf(dev);
    test = List.copyOf(test);
    if (protocol == null || protocol.isBlank()) {
      throw new IllegalArgumentException(name + ": protocol note is empty");
    }
    if (skippedRecords < 0) {
      throw new IllegalArgumentException(name + ": skippedRecords < 0: " + skippedRecords);
    }
  }

  /** A task on its official splits with nothing skipped. */
  public SequenceTask(String name, int numClasses, List<LabeledSequence> train,
      List<LabeledSequence> dev, List<LabeledSequence> test) {
    this(name, numClasses, train, dev, test, OFFICIAL_SPLITS, 0);
  }

  /** Whether the splits are the published ones (reports flag every other protocol). */
  public boolean isOfficialProtocol() {
    return OFFICIAL_SPLITS.equals(protocol);
  }
}
