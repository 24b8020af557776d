package io.dnalab.experiment;

import io.dnalab.tokenize.Tokenizer;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Per-sequence embeddings from an encoder's hidden states ({@code dnalab embed}, and
 * {@code embed(...)} in notebooks).
 *
 * <ul>
 *   <li>Each sequence is tokenized as the encoder's tokenizer does for the model, special tokens
 *       included ({@code [CLS] … [SEP]}, {@code <cls> …}).
 *   <li>Batches hold sequences of similar token length (sorted, longest first, so the largest
 *       batch comes first and a memory problem shows at once); the result is in input order.
 *       Shorter sequences are padded with the pad id and masked.
 *   <li>{@link Pooling}: {@code mean} = sum(h·mask) / sum(mask) over every position the attention
 *       mask admits, special tokens included, (N, H); {@code cls} = position 0, (N, H);
 *       {@code none} = every position, (N, L, H) zero-padded when written, with the token counts.
 * </ul>
 *
 * How many sequences share a batch changes only the padding, which the mask removes: results
 * agree across batch sizes within float rounding (tested at 1e-5).
 */
public final class Embedder {
  private Embedder() {}

  /** How a sequence's hidden states become its embedding. */
  public enum Pooling {
    MEAN, CLS, NONE;

    /** {@code mean}, {@code cls} or {@code none}; anything else is an error naming the value. */
    public static Pooling parse(String value) {
      for (Pooling pooling : values()) {
        if (pooling.name().toLowerCase(Locale.ROOT).equals(value)) {
          return pooling;
        }
      }
      throw new IllegalArgumentException("pooling must be mean, cls or none, got \"" + value
          + "\"");
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * An encoder to embed with: dnalab's own pretrained encoders ({@link EmbedderModels}) or a
   * public checkpoint.
   */
  public interface Encoder extends AutoCloseable {
    /** What the user named (folder, key or hub id), for messages. */
    String name();

    /** The tokenizer the encoder was trained with, adding the special tokens it expects. */
    Tokenizer tokenizer();

    /** Number of layers; layer 0 is the embedding output, {@code layers()} the last. */
    int layers();

    int hiddenSize();

    /**
     * Hidden states of {@code layer}: {@code paddedIds} (B, L), {@code mask} (B, L) true for real
     * tokens; returns (B, L, H).
     */
    float[][][] hiddenStates(int[][] paddedIds, boolean[][] mask, int layer);

    @Override
    void close();
  }

  /** Receives the number of sequences embedded so far, after each batch. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total) -> { };

    void embedded(int done, int total);
  }

  /**
   * What was computed, in input order.
   *
   * @param layer the layer the states were taken from
   * @param pooled (N, H) for mean and cls pooling; null for none
   * @param states for none pooling, sequence i's states (lengths[i], H); null otherwise
   * @param lengths tokens per sequence, special tokens included (the positions the mask admits)
   */
  public record Embeddings(Pooling pooling, int layer, int hiddenSize, float[][] pooled,
      float[][][] states, long[] lengths) {

    public int size() {
      return lengths.length;
    }

    /** The longest token count, L of the (N, L, H) array that {@code none} writes. */
    public int maxLength() {
      long max = 0;
      for (long length : lengths) {
        max = Math.max(max, length);
      }
      return Math.toIntExact(max);
    }

    /**
     * Writes {@code file} as float32 .npy: (N, H), or for none pooling (N, L, H) with zeros after
     * each sequence's last token plus {@link #lengthsFile} (int64, N). Returns the files written.
     */
    public List<Path> writeNpy(Path file) {
      if (pooling != Pooling.NONE) {
        NpyFile.write(file, pooled);
        return List.of(file);
      }
      int length = maxLength();
      float[] zeros = new float[hiddenSize];
      try (NpyFile.FloatWriter writer = new NpyFile.FloatWriter(file, size(), length,
          hiddenSize)) {
        for (float[][] sequence : states) {
          for (int t = 0; t < length; t++) {
            writer.write(t < sequence.length ? sequence[t] : zeros);
          }
        }
      }
      Path lengthsFile = lengthsFile(file);
      NpyFile.write(lengthsFile, lengths);
      return List.of(file, lengthsFile);
    }
  }

  /** {@code out.npy} → {@code out.lengths.npy}: the token counts beside (N, L, H) states. */
  public static Path lengthsFile(Path file) {
    String name = file.getFileName().toString();
    String stem = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
    return file.resolveSibling(stem + ".lengths.npy");
  }

  /**
   * The layer {@code layer} asks for, negative meaning the last; one the encoder does not have is
   * an error naming its range.
   */
  public static int layer(Encoder encoder, int layer) {
    int layers = encoder.layers();
    int chosen = layer < 0 ? layers : layer;
    if (chosen > layers) {
      throw new IllegalArgumentException("layer " + layer + ": " + encoder.name() + " has "
          + layers + " layers (0 = embedding output, " + layers + " = last)");
    }
    return chosen;
  }

  /**
   * Embeds {@code sequences} with {@code encoder}.
   *
   * @param layer 0 (embedding output) to {@code encoder.layers()}; negative means the last
   * @param batchSize sequences per forward pass
   */
  public static Embeddings embed(Encoder encoder, List<String> sequences, Pooling pooling,
      int layer, int batchSize, Progress progress) {
    if (sequences.isEmpty()) {
      throw new IllegalArgumentException("no sequences to embed");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    int chosen = layer(encoder, layer);
    Tokenizer tokenizer = encoder.tokenizer().withPadding(null); // batches pad to their longest
    int padId = Math.max(0, tokenizer.specialTokens().pad()); // masked out, any id will do
    int n = sequences.size();
    int[][] ids = new int[n][];
    for (int i = 0; i < n; i++) {
      ids[i] = tokenizer.encode(sequences.get(i)).ids();
    }
    Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
    java.util.Arrays.sort(order, Comparator.comparingInt((Integer i) -> -ids[i].length));

    int hidden = encoder.hiddenSize();
    float[][] pooled = pooling == Pooling.NONE ? null : new float[n][];
    float[][][] states = pooling == Pooling.NONE ? new float[n][][] : null;
    long[] lengths = new long[n];
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      int length = ids[order[from]].length; // the batch's longest: sorted longest first
      int[][] batchIds = new int[to - from][length];
      boolean[][] mask = new boolean[to - from][length];
      for (int b = 0; b < to - from; b++) {
        int[] sequence = ids[order[from + b]];
        java.util.Arrays.fill(batchIds[b], padId);
        System.arraycopy(sequence, 0, batchIds[b], 0, sequence.length);
        java.util.Arrays.fill(mask[b], 0, sequence.length, true);
      }
      float[][][] h = encoder.hiddenStates(batchIds, mask, chosen); // (B, L, H)
      for (int b = 0; b < to - from; b++) {
        int index = order[from + b];
        int tokens = ids[index].length;
        lengths[index] = tokens;
        switch (pooling) {
          case MEAN -> pooled[index] = mean(h[b], tokens, hidden);
          case CLS -> pooled[index] = h[b][0].clone();
          case NONE -> states[index] = java.util.Arrays.copyOf(h[b], tokens);
        }
      }
      progress.embedded(to, n);
    }
    return new Embeddings(pooling, chosen, hidden, pooled, states, lengths);
  }

  /**
   * The average of the first {@code tokens} rows, the positions the mask admits (padding only
   * follows them); summed in double, so the order of the sum does not matter at float precision.
   */
  private static float[] mean(float[][] positions, int tokens, int hidden) {
    double[] sum = new double[hidden];
    for (int t = 0; t < tokens; t++) {
      float[] row = positions[t];
      for (int c = 0; c < hidden; c++) {
        sum[c] += row[c];
      }
    }
    float[] out = new float[hidden];
    for (int c = 0; c < hidden; c++) {
      out[c] = (float) (sum[c] / tokens);
    }
    return out;
  }
}
