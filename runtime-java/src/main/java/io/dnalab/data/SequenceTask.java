package io.dnalab.data;

import java.util.List;

/**
 * A labelled sequence-classification task with its three splits. Models select on {@code dev} and
 * report on {@code test}.
 */
public record SequenceTask(String name, int numClasses, List<LabeledSequence> train,
    List<LabeledSequence> dev, List<LabeledSequence> test) {

  public SequenceTask {
    if (numClasses < 2) {
      throw new IllegalArgumentException(name + ": a task needs at least 2 classes, got "
          + numClasses);
    }
    train = List.copyOf(train);
    dev = List.copyOf(dev);
    test = List.copyOf(test);
  }
}
