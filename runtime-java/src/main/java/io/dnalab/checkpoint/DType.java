package io.dnalab.checkpoint;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Element types of checkpoint tensors, named as in safetensors headers. Floating types are read
 * into float32 (float64 rounds to nearest), integer and bool types into int64.
 */
public enum DType {
  F64(8, true), F32(4, true), F16(2, true), BF16(2, true),
  I64(8, false), I32(4, false), I16(2, false), I8(1, false), U8(1, false), BOOL(1, false);

  private final int bytes;
  private final boolean floatingPoint;

  DType(int bytes, boolean floatingPoint) {
    this.bytes = bytes;
    this.floatingPoint = floatingPoint;
  }

  /** Bytes per element on disk. */
  public int bytes() {
    return bytes;
  }

  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  /** The type a safetensors header names, or null if dnalab does not read it (e.g. F8_E4M3). */
  static DType ofSafetensorsName(String name) {
    try {
      return valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Decodes {@code count} little-endian elements of a floating type from {@code data}. */
  float[] decodeFloats(ByteBuffer data, int count) {
    ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    float[] out = new float[count];
    switch (this) {
      case F32 -> in.asFloatBuffer().get(out);
      case F64 -> {
        for (int i = 0; i < count; i++) {
          out[i] = (float) in.getDouble(in.position() + 8 * i);
        }
      }
      case F16 -> {
        for (int i = 0; i < count; i++) {
          out[i] = halfToFloat(in.getShort(in.position() + 2 * i));
        }
      }
      // bfloat16 is the upper half of a float32: exact.
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          out[i] = Float.intBitsToFloat((in.getShort(in.position() + 2 * i) & 0xffff) << 16);
        }
      }
      default -> throw new IllegalStateException(this + " is not a floating type");
    }
    return out;
  }

  /** Decodes {@code count} little-endian elements of an integer or bool type from {@code data}. */
  long[] decodeLongs(ByteBuffer data, int count) {
    ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    int base = in.position();
    long[] out = new long[count];
    for (int i = 0; i < count; i++) {
      out[i] = switch (this) {
        case I64 -> in.getLong(base + 8 * i);
        case I32 -> in.getInt(base + 4 * i);
        case I16 -> in.getShort(base + 2 * i);
        case I8 -> in.get(base + i);
        case U8, BOOL -> in.get(base + i) & 0xff;
        default -> throw new IllegalStateException(this + " is not an integer type");
      };
    }
    return out;
  }

  /** IEEE 754 binary16 to float32, exact for every value (Float.float16ToFloat arrives in Java 20). */
  static float halfToFloat(short half) {
    int bits = half & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) { // infinity or NaN, payload kept
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) { // zero or subnormal: mantissa * 2^-24, exact in float32
      float magnitude = mantissa * 0x1p-24f;
      return sign != 0 ? -magnitude : magnitude;
    }
    // Rebias the exponent from 15 to 127.
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }
}
