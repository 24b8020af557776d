package io.dnalab.train;

import io.dnalab.data.LabeledSequence;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Encoded examples and the batches made from them. Batches are assembled (gathered, padded,
 * masked) on a producer thread a few batches ahead of the training thread, so a training step
 * only copies ready arrays into tensors.
 */
public final class Batches {

  /** One split, encoded once: ids per example and labels. */
  public record Encoded(int[][] ids, int[] labels, int maxLength) {
    public int size() {
      return labels.length;
    }

    public static Encoded of(List<LabeledSequence> examples, SequenceEncoder encoder) {
      int[][] ids = new int[examples.size()][];
      int[] labels = new int[examples.size()];
      int max = 0;
      for (int i = 0; i < ids.length; i++) {
        LabeledSequence example = examples.get(i);
        ids[i] = encoder.encode(example.sequence());
        labels[i] = example.label();
        max = Math.max(max, ids[i].length);
      }
      return new Encoded(ids, labels, max);
    }
  }

  /**
   * A ready batch: ids (B·L, row-major, PAD after each sequence), mask (B·L, 1 real / 0 pad) or
   * null when every sequence has length L, labels (B).
   */
  public record Batch(long[] ids, float[] mask, long[] labels, int size, int length) {}

  private Batches() {}

  /** Example order of one epoch: a permutation drawn from {@code seed} and the epoch number. */
  public static int[] shuffledOrder(int count, long seed, int epoch) {
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    Random random = new Random(seed * 1_000_003L + epoch);
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    return order;
  }

  public static int[] sequentialOrder(int count) {
    int[] order = new int[count];
    for (int i = 0; i < count; i++) {
      order[i] = i;
    }
    return order;
  }

  /** Builds the batch of {@code order[from, to)}. */
  public static Batch assemble(Encoded data, int[] order, int from, int to, int padId) {
    int size = to - from;
    int length = 0;
    boolean ragged = false;
    for (int i = from; i < to; i++) {
      int len = data.ids()[order[i]].length;
      if (i > from && len != length) {
        ragged = true;
      }
      length = Math.max(length, len);
    }
    long[] ids = new long[size * length];
    float[] mask = ragged ? new float[size * length] : null;
    long[] labels = new long[size];
    for (int b = 0; b < size; b++) {
      int[] seq = data.ids()[order[from + b]];
      int offset = b * length;
      for (int t = 0; t < seq.length; t++) {
        ids[offset + t] = seq[t];
      }
      if (seq.length < length) {
        Arrays.fill(ids, offset + seq.length, offset + length, padId);
      }
      if (mask != null) {
        Arrays.fill(mask, offset, offset + seq.length, 1f);
      }
      labels[b] = data.labels()[order[from + b]];
    }
    return new Batch(ids, mask, labels, size, length);
  }

  /** Number of batches of {@code batchSize} (the last one may be smaller). */
  public static int count(int examples, int batchSize) {
    return (examples + batchSize - 1) / batchSize;
  }

  /**
   * Batches of {@code order} in sequence, assembled {@code ahead} batches in advance on a daemon
   * thread. Close it to stop the producer early.
   */
  public static Prefetcher prefetch(Encoded data, int[] order, int batchSize, int padId,
      int ahead) {
    return new Prefetcher(data, order, batchSize, padId, ahead);
  }

  /** The producer/consumer pair behind {@link #prefetch}. */
  public static final class Prefetcher implements Iterator<Batch>, AutoCloseable {
    private static final Batch END = new Batch(new long[0], null, new long[0], 0, 0);
    private final BlockingQueue<Object> queue;
    private final Thread producer;
    private final int total;
    private int taken;

    private Prefetcher(Encoded data, int[] order, int batchSize, int padId, int ahead) {
      this.queue = new ArrayBlockingQueue<>(Math.max(1, ahead));
      this.total = count(order.length, batchSize);
      this.producer = new Thread(() -> {
        try {
          for (int from = 0; from < order.length; from += batchSize) {
            queue.put(assemble(data, order, from, Math.min(order.length, from + batchSize),
                padId));
          }
          queue.put(END);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
          queue.offer(e);
        }
      }, "dnalab-batches");
      producer.setDaemon(true);
      producer.start();
    }

    @Override
    public boolean hasNext() {
      return taken < total;
    }

    @Override
    public Batch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      try {
        Object item = queue.take();
        if (item instanceof RuntimeException e) {
          throw new IllegalStateException("preparing a batch failed: " + e.getMessage(), e);
        }
        taken++;
        return (Batch) item;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for a batch", e);
      }
    }

    @Override
    public void close() {
      producer.interrupt();
    }
  }
}
