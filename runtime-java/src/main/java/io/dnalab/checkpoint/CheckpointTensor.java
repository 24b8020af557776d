package io.dnalab.checkpoint;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One named tensor read from a checkpoint file: its type on disk, its shape (row-major, the
 * layout PyTorch and safetensors use) and its values, float32 for floating types and int64 for
 * integer and bool types.
 */
public final class CheckpointTensor {
  private final String name;
  private final DType dtype;
  private final long[] shape;
  private final float[] floats;
  private final long[] longs;
  private final Path file;

  private CheckpointTensor(String name, DType dtype, long[] shape, float[] floats, long[] longs, Path file) {
    this.name = name;
    this.dtype = dtype;
    this.shape = shape.clone();
    this.floats = floats;
    this.longs = longs;
    this.file = file;
  }

  static CheckpointTensor ofFloats(String name, DType dtype, long[] shape, float[] values, Path file) {
    return new CheckpointTensor(name, dtype, shape, values, null, file);
  }

  static CheckpointTensor ofLongs(String name, DType dtype, long[] shape, long[] values, Path file) {
    return new CheckpointTensor(name, dtype, shape, null, values, file);
  }

  public String name() {
    return name;
  }

  /** The element type on disk. */
  public DType dtype() {
    return dtype;
  }

  public long[] shape() {
    return shape.clone();
  }

  /** The file it was read from. */
  public Path file() {
    return file;
  }

  /** Number of elements: the product of the shape (1 for a scalar). */
  public long elementCount() {
    return elementCount(shape);
  }

  static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Values of a floating tensor as float32, row-major; a read-only view, no copy. */
  public FloatBuffer floatValues() {
    if (floats == null) {
      throw new CheckpointFileException(file + ": tensor " + name + " is " + dtype + ", not a floating type");
    }
    return FloatBuffer.wrap(floats).asReadOnlyBuffer();
  }

  /** Values of an integer or bool tensor as int64, row-major; a read-only view, no copy. */
  public LongBuffer longValues() {
    if (longs == null) {
      throw new CheckpointFileException(file + ": tensor " + name + " is " + dtype + ", not an integer type");
    }
    return LongBuffer.wrap(longs).asReadOnlyBuffer();
  }

  /** A copy of a floating tensor's values. */
  public float[] toFloatArray() {
    floatValues();
    return floats.clone();
  }

  /** A copy of an integer tensor's values. */
  public long[] toLongArray() {
    longValues();
    return longs.clone();
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape);
  }
}
