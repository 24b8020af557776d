package io.dnalab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dnalab.train.Batches;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpeedComparisonTest {

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
}
