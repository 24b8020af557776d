package io.dnalab.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;

/**
 * Carves a dev split out of a train split for tasks published without one (Genomic Benchmarks,
 * the Nucleotide Transformer tasks): the same fraction of every class (stratified), chosen with a
 * recorded seed, so the same files always give the same three splits.
 */
public final class DevSplit {
  /** The fraction of each class moved to dev. */
  public static final double FRACTION = 0.1;
  /** The seed of the choice; part of the protocol note, so a report can quote it. */
  public static final long SEED = 42;

  private DevSplit() {}

  /**
   * The two parts of a carved train split, each in the order of the file.
   *
   * @param protocol one sentence for {@link SequenceTask#protocol()}: what was carved, how, with
   *     which seed and how many records each part holds
   */
  public record Carved(List<LabeledSequence> train, List<LabeledSequence> dev, String protocol) {}

  /**
   * Moves {@code round(fraction * n)} records of every class with {@code n >= 2} records to dev
   * (a class of one record stays in train, where a model can at least learn from it).
   *
   * <p>The choice shuffles each class's record indices with one {@link Random}({@code seed})
   * taken class by class in label order; {@code java.util.Random}'s algorithm is fixed by its
   * specification, so the split is the same on every JVM.
   */
  public static Carved carve(List<LabeledSequence> train, double fraction, long seed) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("dev fraction must be in (0, 1), got " + fraction);
    }
    TreeMap<Integer, List<Integer>> indicesByLabel = new TreeMap<>();
    for (int i = 0; i < train.size(); i++) {
      indicesByLabel.computeIfAbsent(train.get(i).label(), label -> new ArrayList<>()).add(i);
    }
    Random random = new Random(seed);
    boolean[] toDev = new boolean[train.size()];
    for (List<Integer> indices : indicesByLabel.values()) {
      Collections.shuffle(indices, random);
      int take = indices.size() < 2 ? 0 : (int) Math.round(fraction * indices.size());
      for (int i = 0; i < take; i++) {
        toDev[indices.get(i)] = true;
      }
    }
    List<LabeledSequence> keptTrain = new ArrayList<>();
    List<LabeledSequence> dev = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      (toDev[i] ? dev : keptTrain).add(train.get(i));
    }
    if (dev.isEmpty()) {
      throw new IllegalArgumentException("the train split has " + train.size() + " records, too"
          + " few to carve a dev split from (every class needs at least 2)");
    }
    String protocol = String.format(Locale.ROOT, "official train and test files, no published"
        + " dev split: dev is %d%% of each class of the train file (stratified, seed %d), %d"
        + " records; the model trains on the other %d", Math.round(fraction * 100), seed,
        dev.size(), keptTrain.size());
    return new Carved(keptTrain, dev, protocol);
  }

  /** {@link #carve(List, double, long)} with {@link #FRACTION} and {@link #SEED}. */
  public static Carved carve(List<LabeledSequence> train) {
    return carve(train, FRACTION, SEED);
  }
}
