package io.dnalab.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.dnalab.engine.DnalabEngine;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NpyFile} read back by another implementation, DJL's NumPy decoder. numpy itself reads the
 * same files; checked by hand with
 * {@code python3 -c "import numpy; a = numpy.load('x.npy'); print(a.dtype, a.shape, a[1, 2])"}
 * (float32 (3, 5) 7.25 for the first test's array).
 */
class NpyFileTest {

  static NDArray read(NDManager manager, Path file) throws IOException {
    return EmbedderFixtures.readNpy(manager, file);
  }

  @Test
  void aFloatMatrixReadsBackWithItsShapeAndValues(@TempDir Path dir) throws Exception {
    float[][] rows = new float[3][5];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 5; j++) {
        rows[i][j] = i * 5 + j + 0.25f * (j % 2 == 0 ? 1 : -1);
      }
    }
    rows[2][4] = Float.NaN;
    rows[0][0] = -0f;
    Path file = dir.resolve("x.npy");
    NpyFile.write(file, rows);
    byte[] bytes = Files.readAllBytes(file);
    int headerLength = ByteBuffer.wrap(bytes, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
    // the data start on a 64-byte boundary, as numpy writes them
    assertThat((10 + headerLength) % 64).isZero();
    assertThat(new String(bytes, 10, headerLength, StandardCharsets.US_ASCII))
        .startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 5), }").endsWith("\n");
    assertThat(bytes.length).isEqualTo(10 + headerLength + 4 * 15);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray array = read(manager, file);
      assertThat(array.getDataType()).isEqualTo(DataType.FLOAT32);
      assertThat(array.getShape().getShape()).containsExactly(3, 5);
      float[] flat = array.toFloatArray();
      for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 5; j++) {
          // bit patterns: NaN and -0 too
          assertThat(Float.floatToRawIntBits(flat[i * 5 + j]))
              .isEqualTo(Float.floatToRawIntBits(rows[i][j]));
        }
      }
    }
  }

  @Test
  void int64VectorsAndThreeAxesReadBack(@TempDir Path dir) throws Exception {
    Path lengths = dir.resolve("lengths.npy");
    NpyFile.write(lengths, new long[] {12, 4, 1L << 40});
    Path cube = dir.resolve("cube.npy");
    try (NpyFile.FloatWriter writer = new NpyFile.FloatWriter(cube, 2, 3, 4)) {
      for (int r = 0; r < 6; r++) {
        writer.write(new float[] {r, r + 0.5f, -r, 1e-30f});
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray vector = read(manager, lengths);
      assertThat(vector.getDataType()).isEqualTo(DataType.INT64);
      assertThat(vector.getShape().getShape()).containsExactly(3);
      assertThat(vector.toLongArray()).containsExactly(12, 4, 1L << 40);
      NDArray array = read(manager, cube);
      assertThat(array.getShape().getShape()).containsExactly(2, 3, 4);
      assertThat(array.get(1, 2).toFloatArray()).containsExactly(5f, 5.5f, -5f, 1e-30f);
    }
  }

  @Test
  void aWriterClosedEarlyRemovesItsFile(@TempDir Path dir) {
    Path file = dir.resolve("short.npy");
    assertThatThrownBy(() -> {
      try (NpyFile.FloatWriter writer = new NpyFile.FloatWriter(file, 2, 3)) {
        writer.write(new float[] {1, 2, 3});
      }
    }).hasMessageContaining("closed after 1 of 2 rows");
    assertThat(file).doesNotExist();
    assertThatThrownBy(() -> new NpyFile.FloatWriter(dir.resolve("w.npy"), 1, 3)
        .write(new float[2])).hasMessageContaining("row of 2 values, the array's last axis has 3");
  }
}
