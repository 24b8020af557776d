package io.dnalab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.train.Batches;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class SpeedComparisonTest {
  /** CPU seconds each spinner burns. */
  private static final double SPIN_S = 0.05;

  @Test
  void batchesFileHoldsIdsThenLabelsAsLittleEndianInt32() throws Exception {
    // ids above 127 (k-mer / BPE vocabularies) must survive: the file is int32, not bytes
    Batches.Batch first = new Batches.Batch(new long[] {2, 4100, 7, 3}, null, new long[] {1, 0},
        2, 2);
    Batches.Batch second = new Batches.Batch(new long[] {5, 6, 300, 8}, null, new long[] {0, 1},
        2, 2);
    Path file = SpeedComparison.writeBatches(List.of(first, second));
    try {
      ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file))
          .order(ByteOrder.LITTLE_ENDIAN);
      int[] values = new int[buffer.remaining() / 4];
      buffer.asIntBuffer().get(values);
      assertThat(values).containsExactly(2, 4100, 7, 3, 1, 0, 5, 6, 300, 8, 0, 1);
    } finally {
      Files.deleteIfExists(file);
    }
    Batches.Batch padded = new Batches.Batch(new long[] {5, 6, 7, 0}, new float[] {1, 1, 1, 0},
        new long[] {0, 1}, 2, 2);
    assertThatThrownBy(() -> SpeedComparison.writeBatches(List.of(first, padded)))
        .hasMessageContaining("speed bench batch 1 is padded");
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(SpeedComparison.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(SpeedComparison.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
  }

  @Test
  void processClockSeesCpuOfEveryThreadAndTheirRunQueueWait() throws Exception {
    // 4 spinning threads per core: each is ready from its start until it has had SPIN_S of CPU,
    // so while more than `cores` are ready, the others wait on a run queue. N equal jobs on P
    // cores finish at best in waves, sum of finish times >= SPIN_S * P * (1 + ... + N/P), here
    // 10 * P * SPIN_S, of which 4 * P * SPIN_S is CPU: a total wait >= 6 * P * SPIN_S.
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = 4 * cores;
    CountDownLatch spun = new CountDownLatch(threads);
    CountDownLatch release = new CountDownLatch(1);
    List<Thread> spinners = new ArrayList<>();
    SpeedComparison.Timing timing = SpeedComparison.time(0, 1, call -> {
      for (int t = 0; t < threads; t++) {
        Thread spinner = new Thread(() -> {
          spin(SPIN_S);
          spun.countDown();
          // alive until the clock is read: the clock counts the threads that exist
          awaitQuietly(release);
        });
        spinners.add(spinner);
        spinner.start();
      }
      awaitQuietly(spun);
    });
    release.countDown();
    for (Thread spinner : spinners) {
      spinner.join();
    }
    // the spinners' CPU, plus a little of the JVM's own threads (compiler, GC)
    assertThat(timing.clock().cpuSeconds()).isBetween(0.95 * threads * SPIN_S,
        threads * SPIN_S + timing.wallSeconds() * cores);
    // a sixth of the lower bound: thread start-up staggers the jobs a little
    assertThat(timing.clock().waitSeconds()).isGreaterThan(cores * SPIN_S);
  }

  /** Burns {@code seconds} of the calling thread's CPU time. */
  private static void spin(double seconds) {
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    long end = bean.getCurrentThreadCpuTime() + (long) (seconds * 1e9);
    long sink = 0;
    while (bean.getCurrentThreadCpuTime() < end) {
      sink += System.nanoTime() & 1;
    }
    if (sink == -1) {
      throw new AssertionError("unreachable; keeps the loop from being optimised away");
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
