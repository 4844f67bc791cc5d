package dev.jnmt.intgemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The facades' integer results against {@link Reference} (intgemm's semantics restated on natural-order arrays),
 * at whatever vector width this JVM runs.
 */
class MultiplyTest {

  /** M x K x N, including ragged M, the minimum tiles and a large K. */
  static final int[][] SHAPES = {
    {1, 64, 8}, {2, 64, 8}, {3, 128, 16}, {5, 256, 24}, {8, 256, 256}, {7, 2048, 16}, {0, 64, 8}, {4, 9024, 8}
  };

  private static int[] raw8(PreparedA a, PreparedB b, boolean shift) {
    int[] out = new int[Math.max(1, a.rows() * b.cols())];
    if (shift) {
      Int8Shift.multiply(a, b, new Epilogue.WriteInt32(out));
    } else {
      Int8.multiply(a, b, new Epilogue.WriteInt32(out));
    }
    return java.util.Arrays.copyOf(out, a.rows() * b.cols());
  }

  private static void checkInt8(SplittableRandom rnd, int m, int k, int n, double range, float qa, float qb) {
    float[] af = Reference.uniform(rnd, m * k, -range, range);
    float[] bf = Reference.uniform(rnd, k * n, -range, range);
    int[] aq = Reference.quantize8(af, qa);
    int[] bq = Reference.quantize8(bf, qb);
    PreparedB b = Int8.prepareB(bf, qb, k, n);
    String shape = m + "x" + k + "x" + n + " range " + range + " q " + qa + "/" + qb;
    assertArrayEquals(Reference.int8(aq, bq, m, k, n), raw8(Int8.prepareA(af, qa, m, k), b, false), "Int8 " + shape);
    int[] au = aq.clone();
    for (int i = 0; i < au.length; i++) {
      au[i] += 127;
    }
    assertArrayEquals(
        Reference.int8Shift(au, bq, m, k, n), raw8(Int8Shift.prepareA(af, qa, m, k), b, true), "Shift " + shape);
  }

  @Test
  void int8AndShiftMatchIntgemmSemantics() {
    SplittableRandom rnd = new SplittableRandom(10);
    for (int[] s : SHAPES) {
      checkInt8(rnd, s[0], s[1], s[2], 1.0, 64f, 64f);
      // Full range on both sides: Int8 lanes and Shift pair sums saturate.
      checkInt8(rnd, s[0], s[1], s[2], 1.0, 127f, 127f);
    }
  }

  @Test
  void saturationRegimesAreExercised() {
    // Constant extreme data: every Int8 lane saturates, every Shift pair sum saturates.
    int m = 3, k = 256, n = 8;
    float[] af = new float[m * k];
    float[] bf = new float[k * n];
    java.util.Arrays.fill(af, 1f);
    java.util.Arrays.fill(bf, 1f);
    int[] int8 = raw8(Int8.prepareA(af, 127f, m, k), Int8.prepareB(bf, 127f, k, n), false);
    assertEquals(16 * 32767, int8[0]);
    int[] shift = raw8(Int8Shift.prepareA(af, 127f, m, k), Int8.prepareB(bf, 127f, k, n), true);
    assertEquals(k / 2 * 32767, shift[0]);
    java.util.Arrays.fill(bf, -1f);
    shift = raw8(Int8Shift.prepareA(af, 127f, m, k), Int8.prepareB(bf, 127f, k, n), true);
    assertEquals(k / 2 * -32768, shift[0]);
    int8 = raw8(Int8.prepareA(af, 127f, m, k), Int8.prepareB(bf, 127f, k, n), false);
    assertEquals(16 * -32768, int8[0]);
  }

  @Test
  void int16MatchesWrappingDotProduct() {
    SplittableRandom rnd = new SplittableRandom(11);
    int[][] shapes = {{1, 32, 8}, {2, 32, 8}, {3, 96, 16}, {5, 256, 24}, {9, 2048, 16}, {0, 32, 8}};
    for (int[] s : shapes) {
      int m = s[0], k = s[1], n = s[2];
      for (float q : new float[] {1024f, 32767f}) {
        float[] af = Reference.uniform(rnd, m * k, -1, 1);
        float[] bf = Reference.uniform(rnd, k * n, -1, 1);
        int[] out = new int[Math.max(1, m * n)];
        Int16.multiply(Int16.prepareA(af, q, m, k), Int16.prepareB(bf, q, k, n), new Epilogue.WriteInt32(out));
        int[] want = Reference.int16(Reference.quantize16(af, q), Reference.quantize16(bf, q), m, k, n);
        assertArrayEquals(want, java.util.Arrays.copyOf(out, m * n), m + "x" + k + "x" + n + " q " + q);
      }
    }
    // -32768 * -32768 pairs overflow 32 bits and must wrap.
    float[] af = new float[32];
    float[] bf = new float[32 * 8];
    java.util.Arrays.fill(af, -1f);
    java.util.Arrays.fill(bf, -1f);
    int[] out = new int[8];
    Int16.multiply(Int16.prepareA(af, 40000f, 1, 32), Int16.prepareB(bf, 40000f, 32, 8), new Epilogue.WriteInt32(out));
    assertEquals((int) (32L * 32768 * 32768), out[0]);
  }

  @Test
  void shiftWithPreparedBiasIsTheExactProductWhenNoPairSaturates() {
    SplittableRandom rnd = new SplittableRandom(12);
    int[][] shapes = {{1, 64, 8}, {8, 256, 256}, {8, 2048, 256}, {3, 512, 16}};
    for (int[] s : shapes) {
      int m = s[0], k = s[1], n = s[2];
      float alpha = 2f;
      float q = 127f / alpha;
      float[] af = Reference.uniform(rnd, m * k, -alpha, alpha);
      float[] bf = Reference.uniform(rnd, k * n, -alpha / 2, alpha / 2);
      PreparedB b = Int8Shift.prepareB(bf, q, k, n);
      int[] bq = Reference.quantize8(bf, q);
      // |b| <= 64 so no pair sum can saturate: result must be exact.
      int[] aq = Reference.quantize8(af, q);
      long[] exact = Reference.exact(aq, bq, m, k, n);
      // Raw: shifted sum minus 127 * colsum, computed through prepareBias with unit factor.
      int[] colsum = new int[n];
      Int8Shift.prepareBias(b, new Epilogue.WriteInt32(colsum));
      int[] raw = raw8(Int8Shift.prepareA(af, q, m, k), b, true);
      for (int i = 0; i < m * n; i++) {
        assertEquals(exact[i], (long) raw[i] - 127L * colsum[i % n], "element " + i);
      }
      // Float path with a real bias, against the float reference of the quantized values.
      float[] bias = Reference.uniform(rnd, n, -1, 1);
      float[] prepared = Int8Shift.prepareBias(b, q, q, bias);
      float[] out = new float[m * n];
      Int8Shift.multiply(
          Int8Shift.prepareA(af, q, m, k), b,
          new Epilogue.UnquantizeAndAddBiasAndWrite(Int8Shift.unquantMult(q, q), prepared, out));
      for (int i = 0; i < m * n; i++) {
        double want = exact[i] / ((double) q * q) + bias[i % n];
        assertEquals(want, out[i], 1e-4 * Math.max(1, Math.abs(want)) + 2e-3, "element " + i);
      }
    }
  }

  @Test
  void prepareBiasMatchesMarianArithmetic() {
    SplittableRandom rnd = new SplittableRandom(13);
    int k = 256, n = 256;
    float alpha = 25f;
    float q = 127f / alpha;
    float[] bf = Reference.uniform(rnd, k * n, -30, 30);
    float[] bias = Reference.uniform(rnd, n, -30, 30);
    PreparedB b = Int8Shift.prepareB(bf, q, k, n);
    int[] bq = Reference.quantize8(bf, q);
    float f = (-1f) * ((127f / q) * (127f / q)) / 127f;
    float[] got = Int8Shift.prepareBias(b, q, q, bias);
    float[] fake = Int8Shift.prepareBias(b, q, q, null);
    for (int c = 0; c < n; c++) {
      int s = 0;
      for (int i = 0; i < k; i++) {
        s += bq[i * n + c];
      }
      assertEquals((float) s * f + bias[c], got[c], 0f, "column " + c);
      assertEquals((float) s * f, fake[c], 0f, "column " + c);
    }
    // In place, as intgemm allows.
    float[] inPlace = bias.clone();
    Int8Shift.prepareBias(b, q, q, inPlace, inPlace);
    assertArrayEquals(got, inPlace);
  }

  /** intgemm's CompareMSE: per-element and RMS bounds against the float64 product and the integer reference. */
  private static void compareMse(
      double[] floatRef, double[] intRef, float[] test, double intTol, double floatTol, double mseFloat,
      double mseInt, String what) {
    double sqFloat = 0, sqInt = 0;
    for (int i = 0; i < test.length; i++) {
      assertTrue(Math.abs(intRef[i] - test[i]) <= intTol, what + " int ref at " + i + ": " + intRef[i] + " vs " + test[i]);
      assertTrue(
          Math.abs(floatRef[i] - test[i]) <= floatTol, what + " float ref at " + i + ": " + floatRef[i] + " vs " + test[i]);
      sqFloat += (floatRef[i] - test[i]) * (floatRef[i] - test[i]);
      sqInt += (intRef[i] - test[i]) * (intRef[i] - test[i]);
    }
    assertTrue(Math.sqrt(sqFloat / test.length) <= mseFloat, what + " float RMS " + Math.sqrt(sqFloat / test.length));
    assertTrue(Math.sqrt(sqInt / test.length) <= mseInt, what + " int RMS " + Math.sqrt(sqInt / test.length));
  }

  @Test
  void floatResultsWithinIntgemmTolerances() {
    SplittableRandom rnd = new SplittableRandom(14);
    int[][] shapes = {{8, 256, 256}, {8, 2048, 256}, {320, 256, 256}, {472, 256, 256}, {248, 256, 256}, {200, 256, 256}};
    for (int[] s : shapes) {
      int m = s[0], k = s[1], n = s[2];
      float[] af = Reference.uniform(rnd, m * k, -1, 1);
      float[] bf = Reference.uniform(rnd, k * n, -1, 1);
      float[] bias = Reference.uniform(rnd, n, -1, 1);
      double[] floatRef = Reference.float64(af, bf, m, k, n);
      for (int variant = 0; variant < 4; variant++) {
        boolean relu = (variant & 1) != 0;
        boolean withBias = (variant & 2) != 0;
        // 8-bit, q = 64.
        float q8 = 64f;
        float[] out = new float[m * n];
        Int8.multiply(Int8.prepareA(af, q8, m, k), Int8.prepareB(bf, q8, k, n), epilogue(1f / (q8 * q8), withBias ? bias : null, relu, out));
        long[] exact = Reference.exact(Reference.quantize8(af, q8), Reference.quantize8(bf, q8), m, k, n);
        double[] intRef = new double[m * n];
        double[] fRef = new double[m * n];
        for (int i = 0; i < m * n; i++) {
          intRef[i] = finish(exact[i] / (double) (q8 * q8), withBias ? bias[i % n] : 0, relu);
          fRef[i] = finish(floatRef[i], withBias ? bias[i % n] : 0, relu);
        }
        String what = "Int8 " + m + "x" + k + "x" + n + " variant " + variant;
        if (k == 2048) {
          compareMse(fRef, intRef, out, 19, 19, 1.8, 1.8, what);
        } else {
          compareMse(fRef, intRef, out, 0.1, 1, 0.1, 1e-6, what);
        }
        // 16-bit, q = 1024.
        float q16 = 1024f;
        Int16.multiply(Int16.prepareA(af, q16, m, k), Int16.prepareB(bf, q16, k, n), epilogue(1f / (q16 * q16), withBias ? bias : null, relu, out));
        int[] r16 = Reference.int16(Reference.quantize16(af, q16), Reference.quantize16(bf, q16), m, k, n);
        for (int i = 0; i < m * n; i++) {
          intRef[i] = finish(r16[i] / (double) (q16 * q16), withBias ? bias[i % n] : 0, relu);
        }
        compareMse(fRef, intRef, out, 0.1, 1, k == 2048 ? 0.02 : 0.01, 1e-5, "Int16 " + m + "x" + k + "x" + n + " variant " + variant);
      }
    }
  }

  @Test
  void shiftWithBiasWithinIntgemmTolerances() {
    SplittableRandom rnd = new SplittableRandom(15);
    int[][] shapes = {{1, 64, 8}, {8, 256, 256}, {8, 2048, 256}, {320, 256, 256}, {200, 256, 256}};
    for (int[] s : shapes) {
      int m = s[0], k = s[1], n = s[2];
      float alpha = 2f;
      float q = 127f / alpha;
      float[] af = Reference.uniform(rnd, m * k, -1, 1);
      float[] bf = Reference.uniform(rnd, k * n, -1, 1);
      float[] bias = Reference.uniform(rnd, n, -1, 1);
      double[] floatRef = Reference.float64(af, bf, m, k, n);
      PreparedB b = Int8Shift.prepareB(bf, q, k, n);
      float[] prepared = Int8Shift.prepareBias(b, q, q, bias);
      float[] out = new float[m * n];
      Int8Shift.multiply(Int8Shift.prepareA(af, q, m, k), b, new Epilogue.UnquantizeAndAddBiasAndWrite(1f / (q * q), prepared, out));
      long[] exact = Reference.exact(Reference.quantize8(af, q), Reference.quantize8(bf, q), m, k, n);
      double[] intRef = new double[m * n];
      double[] fRef = new double[m * n];
      for (int i = 0; i < m * n; i++) {
        intRef[i] = exact[i] / ((double) q * q) + bias[i % n];
        fRef[i] = floatRef[i] + bias[i % n];
      }
      compareMse(fRef, intRef, out, 0.11, 1.66, 0.46, 0.46, "Shift " + m + "x" + k + "x" + n);
    }
  }

  static Epilogue epilogue(float unquant, float[] bias, boolean relu, float[] out) {
    if (bias == null) {
      return relu ? new Epilogue.UnquantizeAndWriteRelu(unquant, out) : new Epilogue.UnquantizeAndWrite(unquant, out);
    }
    return relu
        ? new Epilogue.UnquantizeAndAddBiasAndWriteRelu(unquant, bias, out)
        : new Epilogue.UnquantizeAndAddBiasAndWrite(unquant, bias, out);
  }

  private static double finish(double x, double bias, boolean relu) {
    double y = x + bias;
    return relu ? Math.max(0, y) : y;
  }

  @Test
  void epiloguesUseIntgemmFloatArithmetic() {
    SplittableRandom rnd = new SplittableRandom(16);
    int m = 3, k = 128, n = 16;
    float[] af = Reference.uniform(rnd, m * k, -1, 1);
    float[] bf = Reference.uniform(rnd, k * n, -1, 1);
    float[] bias = Reference.uniform(rnd, n, -1, 1);
    bias[3] = Float.NaN;
    PreparedA a = Int8Shift.prepareA(af, 127f, m, k);
    PreparedB b = Int8Shift.prepareB(bf, 127f, k, n);
    int[] raw = new int[m * n];
    Int8Shift.multiply(a, b, new Epilogue.WriteInt32(raw));
    float u = 1f / (127f * 127f);
    float[] o1 = new float[m * n], o2 = new float[m * n], o3 = new float[m * n], o4 = new float[m * n];
    Int8Shift.multiply(a, b, new Epilogue.UnquantizeAndWrite(u, o1));
    Int8Shift.multiply(a, b, new Epilogue.UnquantizeAndWriteRelu(u, o2));
    Int8Shift.multiply(a, b, new Epilogue.UnquantizeAndAddBiasAndWrite(u, bias, o3));
    Int8Shift.multiply(a, b, new Epilogue.UnquantizeAndAddBiasAndWriteRelu(u, bias, o4));
    for (int i = 0; i < m * n; i++) {
      float x = (float) raw[i] * u;
      float y = x + bias[i % n];
      assertEquals(x, o1[i], 0f);
      assertEquals(x > 0 ? x : 0f, o2[i], 0f);
      assertEquals(Float.floatToRawIntBits(y), Float.floatToRawIntBits(o3[i]));
      assertEquals(y > 0 ? y : 0f, o4[i], 0f);
      assertTrue(o4[i] >= 0f && Float.floatToRawIntBits(o4[i]) != Float.floatToRawIntBits(-0f), "ReLU gives +0 for NaN/-0");
    }
  }
}
