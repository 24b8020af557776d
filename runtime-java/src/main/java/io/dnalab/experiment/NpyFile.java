package io.dnalab.experiment;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * NumPy's {@code .npy} format, version 1.0, for arrays {@code numpy.load} reads: little-endian
 * float32 ({@code <f4}) or int64 ({@code <i8}), C order.
 *
 * <pre>
 * "\x93NUMPY" 0x01 0x00                 magic, version 1.0
 * uint16 little-endian HEADER_LEN
 * "{'descr': '<f4', 'fortran_order': False, 'shape': (N, H), }" padded with spaces and a final
 *                                       '\n' so that 10 + HEADER_LEN is a multiple of 64
 * the values, row-major
 * </pre>
 *
 * Written by hand: the format is the few lines above, and DJL (already on the class path) writes
 * only {@code .npz} archives through its public API. Rows are written as they come, so an
 * (N, L, H) array never has to exist as one Java array. Tests read the files back with DJL's own
 * NumPy decoder and with numpy.
 */
public final class NpyFile {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  /** numpy aligns the data to 64 bytes since 1.19 (the format asks for 16). */
  private static final int ALIGNMENT = 64;

  private NpyFile() {}

  /** Writes the (N, H) float32 array {@code rows}; every row must have the same length. */
  public static void write(Path file, float[][] rows) {
    int width = rows.length == 0 ? 0 : rows[0].length;
    try (FloatWriter writer = new FloatWriter(file, rows.length, width)) {
      for (float[] row : rows) {
        writer.write(row);
      }
    }
  }

  /** Writes the 1-D int64 array {@code values}. */
  public static void write(Path file, long[] values) {
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      out.write(header("<i8", new long[] {values.length}));
      ByteBuffer buffer = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      for (long value : values) {
        buffer.putLong(value);
      }
      out.write(buffer.array());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Streams a float32 array of a declared shape, row by row along the last axis: the header first,
   * then exactly {@code shape[0]·…·shape[n-2]} rows of {@code shape[n-1]} values. Closing it
   * before every row is written is an error, so a half-written file is never mistaken for a
   * whole one (the file is removed).
   */
  public static final class FloatWriter implements AutoCloseable {
    private final Path file;
    private final DataOutputStream out;
    private final int width;
    private final long rowsExpected;
    private final ByteBuffer row;
    private long rowsWritten;

    public FloatWriter(Path file, long... shape) {
      if (shape.length == 0) {
        throw new IllegalArgumentException("an .npy array needs at least one dimension");
      }
      this.file = file;
      this.width = Math.toIntExact(shape[shape.length - 1]);
      long rows = 1;
      for (int i = 0; i < shape.length - 1; i++) {
        rows *= shape[i];
      }
      this.rowsExpected = shape.length == 1 ? 1 : rows;
      this.row = ByteBuffer.allocate(4 * width).order(ByteOrder.LITTLE_ENDIAN);
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
        out.write(header("<f4", shape));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }

    /** Appends one row of the last axis; {@code values.length} must be its size. */
    public void write(float[] values) {
      if (values.length != width) {
        throw new IllegalArgumentException(file + ": row of " + values.length
            + " values, the array's last axis has " + width);
      }
      if (rowsWritten == rowsExpected) {
        throw new IllegalStateException(file + ": all " + rowsExpected + " rows already written");
      }
      row.clear();
      row.asFloatBuffer().put(values);
      try {
        out.write(row.array());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
      rowsWritten++;
    }

    @Override
    public void close() {
      try {
        out.close();
        if (rowsWritten != rowsExpected) {
          Files.deleteIfExists(file);
          throw new IllegalStateException(file + ": closed after " + rowsWritten + " of "
              + rowsExpected + " rows; the incomplete file was removed");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
      }
    }
  }

  /** Magic, version, length and the padded header dict of an array of {@code shape}. */
  static byte[] header(String descr, long[] shape) {
    String dims = Arrays.stream(shape).mapToObj(Long::toString)
        .collect(Collectors.joining(", "));
    if (shape.length == 1) {
      dims += ","; // a 1-tuple in Python needs the comma
    }
    String dict = String.format(Locale.ROOT,
        "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, dims);
    int unpadded = MAGIC.length + 2 + dict.length() + 1; // + '\n'
    int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
    String text = dict + " ".repeat(padding) + "\n";
    byte[] textBytes = text.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer buffer = ByteBuffer.allocate(MAGIC.length + 2 + textBytes.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    buffer.put(MAGIC).putShort((short) textBytes.length).put(textBytes);
    return buffer.array();
  }
}
