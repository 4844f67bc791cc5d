package dev.jnmt.intgemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Every vector kernel against its scalar twin, bit for bit, at the vector width this JVM runs with (Surefire
 * runs this class at widths 0, 128 and 256). Covers the fast and the general panels, minimum tiles, ragged M,
 * K around the Int8Shift segment length, and adversarial values.
 */
class KernelTwinTest {

  /** M x K x N for the 8-bit kernels. */
  static final int[][] SHAPES8 = {
    {1, 64, 8}, {2, 64, 8}, {3, 64, 16}, {4, 128, 8}, {5, 192, 24}, {7, 256, 16}, {9, 64, 8}, {2, 2048, 8},
    {3, VectorKernels8.SEGMENT, 8}, {2, VectorKernels8.SEGMENT + 64, 8}, {1, 3 * VectorKernels8.SEGMENT, 8}
  };

  /** Value generators: index 0 random full range, then adversarial patterns. */
  static int value(SplittableRandom rnd, int pattern, int i, int lo, int hi) {
    return switch (pattern) {
      case 0 -> rnd.nextInt(lo, hi + 1);
      case 1 -> hi;
      case 2 -> (i & 1) == 0 ? hi : lo;
      case 3 -> ((i >> 5) & 1) == 0 ? lo : hi;
      case 4 -> rnd.nextInt(4) == 0 ? rnd.nextInt(lo, hi + 1) : 0;
      default -> lo;
    };
  }

  static final int PATTERNS = 6;

  private static PreparedA a8(SplittableRandom rnd, Precision p, int m, int k, int pattern) {
    PreparedA a = PreparedA.allocate(p, m, k);
    a.reshape("test", m, k);
    int shift = p == Precision.INT8_SHIFT ? 127 : 0;
    for (int i = 0; i < m * k; i++) {
      a.shorts[i] = (short) (value(rnd, pattern, i, -127, 127) + shift);
    }
    return a;
  }

  private static PreparedB b8(SplittableRandom rnd, int k, int n, int pattern) {
    byte[] bt = new byte[k * n];
    for (int i = 0; i < bt.length; i++) {
      bt[i] = (byte) value(rnd, (pattern + 3) % PATTERNS, i, -127, 127);
    }
    return Int8.prepareBQuantizedTransposed(bt, k, n);
  }

  private interface Kernel {
    void run(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd);
  }

  /** Runs both kernels with every epilogue, on the whole range and on a sub-range of columns. */
  private static void compare(Kernel vector, Kernel scalar, PreparedA a, PreparedB b, String what) {
    int m = a.rows();
    int n = b.cols();
    int[] vi = new int[m * n];
    int[] si = new int[m * n];
    vector.run(a, b, new Epilogue.WriteInt32(vi), 0, n);
    scalar.run(a, b, new Epilogue.WriteInt32(si), 0, n);
    assertArrayEquals(si, vi, what + " int32");
    float[] bias = new float[n];
    for (int c = 0; c < n; c++) {
      bias[c] = (c % 5 - 2) * 0.37f;
    }
    float mult = 1.25e-4f;
    for (int variant = 0; variant < 4; variant++) {
      boolean relu = (variant & 1) != 0;
      float[] vo = new float[m * n];
      float[] so = new float[m * n];
      float[] bb = (variant & 2) != 0 ? bias : null;
      vector.run(a, b, MultiplyTest.epilogue(mult, bb, relu, vo), 0, n);
      scalar.run(a, b, MultiplyTest.epilogue(mult, bb, relu, so), 0, n);
      for (int i = 0; i < m * n; i++) {
        assertEquals(Float.floatToRawIntBits(so[i]), Float.floatToRawIntBits(vo[i]), what + " variant " + variant + " at " + i);
      }
    }
    // Unit multiplier: the fast panels' float output is exactly (float) sum.
    float[] vo = new float[m * n];
    vector.run(a, b, new Epilogue.UnquantizeAndWrite(1f, vo), 0, n);
    for (int i = 0; i < m * n; i++) {
      assertEquals((float) si[i], vo[i], 0f, what + " (float) sum at " + i);
    }
    // A column sub-range touches only its own columns.
    if (n >= 16) {
      float[] part = new float[m * n];
      java.util.Arrays.fill(part, Float.NaN);
      vector.run(a, b, new Epilogue.UnquantizeAndWrite(1f, part), 8, 16);
      for (int r = 0; r < m; r++) {
        for (int c = 0; c < n; c++) {
          if (c >= 8 && c < 16) {
            assertEquals((float) si[r * n + c], part[r * n + c], 0f, what + " range");
          } else {
            assertEquals(Float.NaN, part[r * n + c], what + " outside range");
          }
        }
      }
    }
  }

  @Test
  void int8VectorEqualsScalar() {
    SplittableRandom rnd = new SplittableRandom(20);
    for (int[] s : SHAPES8) {
      for (int pattern = 0; pattern < PATTERNS; pattern++) {
        if (s[1] > 2048 && pattern > 1) {
          continue;
        }
        PreparedA a = a8(rnd, Precision.INT8, s[0], s[1], pattern);
        PreparedB b = b8(rnd, s[1], s[2], pattern);
        compare(VectorKernels8::multiply8, ScalarKernels8::multiply8, a, b,
            "Int8 " + s[0] + "x" + s[1] + "x" + s[2] + " pattern " + pattern);
      }
    }
  }

  @Test
  void int8ShiftVectorEqualsScalar() {
    SplittableRandom rnd = new SplittableRandom(21);
    for (int[] s : SHAPES8) {
      for (int pattern = 0; pattern < PATTERNS; pattern++) {
        if (s[1] > 2048 && pattern > 1) {
          continue;
        }
        PreparedA a = a8(rnd, Precision.INT8_SHIFT, s[0], s[1], pattern);
        PreparedB b = b8(rnd, s[1], s[2], pattern);
        compare(VectorKernels8::multiplyShift, ScalarKernels8::multiplyShift, a, b,
            "Shift " + s[0] + "x" + s[1] + "x" + s[2] + " pattern " + pattern);
      }
    }
  }

  @Test
  void int16VectorEqualsScalar() {
    SplittableRandom rnd = new SplittableRandom(22);
    int[][] shapes = {{1, 32, 8}, {2, 32, 8}, {3, 64, 16}, {4, 96, 8}, {5, 256, 24}, {9, 32, 8}, {3, 4096, 8}};
    for (int[] s : shapes) {
      int m = s[0], k = s[1], n = s[2];
      for (int pattern = 0; pattern < PATTERNS; pattern++) {
        PreparedA a = PreparedA.allocate(Precision.INT16, m, k);
        a.reshape("test", m, k);
        for (int i = 0; i < m * k; i++) {
          a.ints[i] = value(rnd, pattern, i, -32768, 32767);
        }
        short[] bt = new short[k * n];
        for (int i = 0; i < bt.length; i++) {
          bt[i] = (short) value(rnd, (pattern + 2) % PATTERNS, i, -32768, 32767);
        }
        PreparedB b = Int16.prepareBQuantizedTransposed(bt, k, n);
        compare(VectorKernels16::multiply16, ScalarKernels16::multiply16, a, b,
            "Int16 " + m + "x" + k + "x" + n + " pattern " + pattern);
      }
    }
  }

  @Test
  void zeroRowsWriteNothing() {
    PreparedA a = PreparedA.allocate(Precision.INT8_SHIFT, 0, 64);
    a.reshape("test", 0, 64);
    PreparedB b = b8(new SplittableRandom(1), 64, 8, 0);
    float[] out = new float[0];
    VectorKernels8.multiplyShift(a, b, new Epilogue.UnquantizeAndWrite(1f, out), 0, 8);
    VectorKernels8.multiply8(PreparedA.allocate(Precision.INT8, 0, 64), b, new Epilogue.WriteInt32(new int[0]), 0, 8);
  }
}
