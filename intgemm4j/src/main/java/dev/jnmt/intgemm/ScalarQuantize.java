package dev.jnmt.intgemm;

/**
 * Scalar quantization: the reference for {@link VectorQuantize} and the path used at width 0.
 *
 * <p>Semantics of intgemm on x86 ({@code cvtps2dq} under the default rounding mode, then signed saturating
 * packs): {@code v = x * quantMult} as a float multiply; NaN, +Inf and every {@code v >= 2^31} turn into
 * {@code INT_MIN}, which saturates to the most negative value (-32768 for 16-bit, -128 and then the Int8 floor
 * -127 for 8-bit); everything else is rounded half to even and saturated.
 */
final class ScalarQuantize {
  private ScalarQuantize() {}

  /** 2^31 as a float: the first value cvtps2dq cannot represent. */
  static final float TWO_POW_31 = 2147483648f;

  static int quantize8(float x, float quantMult) {
    float v = x * quantMult;
    if (!(v < TWO_POW_31)) {
      return -127;
    }
    if (v <= -127f) {
      return -127;
    }
    if (v >= 127f) {
      return 127;
    }
    return (int) Math.rint(v);
  }

  static int quantize16(float x, float quantMult) {
    float v = x * quantMult;
    if (!(v < TWO_POW_31)) {
      return -32768;
    }
    if (v <= -32768f) {
      return -32768;
    }
    if (v >= 32767f) {
      return 32767;
    }
    return (int) Math.rint(v);
  }

  static float maxAbsolute(float[] x, int from, int to) {
    float max = 0f;
    for (int i = from; i < to; i++) {
      max = Math.max(max, Math.abs(x[i]));
    }
    return max;
  }

  static void quantize8(float[] in, int inOffset, byte[] out, int outOffset, int count, float quantMult) {
    for (int i = 0; i < count; i++) {
      out[outOffset + i] = (byte) quantize8(in[inOffset + i], quantMult);
    }
  }

  static void quantize16(float[] in, int inOffset, short[] out, int outOffset, int count, float quantMult) {
    for (int i = 0; i < count; i++) {
      out[outOffset + i] = (short) quantize16(in[inOffset + i], quantMult);
    }
  }

  /**
   * Quantizes {@code rows x cols} row-major floats into the split 8-bit A layout ({@link PreparedA}), adding
   * {@code shift} (0 for Int8, 127 for Int8Shift). {@code cols % 32 == 0}.
   */
  static void prepareA8(float[] in, int offset, float quantMult, int rows, int cols, short[] out, int shift) {
    for (int r = 0; r < rows; r++) {
      int src = offset + r * cols;
      int dst = r * cols;
      for (int k = 0; k < cols; k++) {
        out[dst + PreparedA.splitIndex(k)] = (short) (quantize8(in[src + k], quantMult) + shift);
      }
    }
  }

  /** Quantizes {@code count} floats to 16-bit values widened to int (the 16-bit A layout). */
  static void prepareA16(float[] in, int offset, float quantMult, int count, int[] out) {
    for (int i = 0; i < count; i++) {
      out[i] = quantize16(in[offset + i], quantMult);
    }
  }
}
