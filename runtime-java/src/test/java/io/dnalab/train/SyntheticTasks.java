package io.dnalab.train;

import io.dnalab.data.LabeledSequence;
import io.dnalab.data.SequenceTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small tasks with a known answer, generated from a fixed seed: class k > 0 carries motif k at a
 * random position, class 0 carries none of the motifs. A model that learns must exceed 0.9
 * accuracy; chance is 1/K.
 */
public final class SyntheticTasks {
  static final String[] MOTIFS = {"TATAAT", "GCGCGC", "CAGGTA"};

  private SyntheticTasks() {}

  public static SequenceTask motifs(int classes, int train, int dev, int test, int minLength,
      int maxLength, long seed) {
    Random random = new Random(seed);
    return new SequenceTask("motif" + classes, classes,
        split(random, train, classes, minLength, maxLength),
        split(random, dev, classes, minLength, maxLength),
        split(random, test, classes, minLength, maxLength));
  }

  private static List<LabeledSequence> split(Random random, int count, int classes, int minLength,
      int maxLength) {
    List<LabeledSequence> examples = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int label = i % classes;
      int length = minLength + random.nextInt(maxLength - minLength + 1);
      String sequence;
      do {
        StringBuilder sb = new StringBuilder(length);
        for (int t = 0; t < length; t++) {
          sb.append("ACGT".charAt(random.nextInt(4)));
        }
        if (label > 0) {
          String motif = MOTIFS[label - 1];
          int at = random.nextInt(length - motif.length() + 1);
          sb.replace(at, at + motif.length(), motif);
        }
        sequence = sb.toString();
      } while (!hasOnly(sequence, label, classes));
      examples.add(new LabeledSequence(sequence, label));
    }
    return examples;
  }

  /** True when the sequence contains exactly its own class's motif and no other. */
  private static boolean hasOnly(String sequence, int label, int classes) {
    for (int k = 1; k < classes; k++) {
      boolean contains = sequence.contains(MOTIFS[k - 1]);
      if (contains != (k == label)) {
        return false;
      }
    }
    return true;
  }
}
