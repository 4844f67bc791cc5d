package dev.jnmt.intgemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** intgemm's Quantize, PrepareA and MaxAbsolute cases. */
class QuantizationTest {

  private static int q8(float x, float mult) {
    byte[] out = new byte[1];
    Int8.quantize(new float[] {x}, 0, out, 0, 1, mult);
    return out[0];
  }

  private static int q16(float x, float mult) {
    short[] out = new short[1];
    Int16.quantize(new float[] {x}, 0, out, 0, 1, mult);
    return out[0];
  }

  @Test
  void tiesRoundHalfToEven() {
    float[] in = {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f, 126.5f, 127.5f, -126.5f, -127.5f, 3.5f};
    int[] want8 = {0, 2, 2, 0, -2, -2, 126, 127, -126, -127, 4};
    int[] want16 = {0, 2, 2, 0, -2, -2, 126, 128, -126, -128, 4};
    for (int i = 0; i < in.length; i++) {
      assertEquals(want8[i], q8(in[i], 1f), "int8 of " + in[i]);
      assertEquals(want16[i], q16(in[i], 1f), "int16 of " + in[i]);
    }
    assertEquals(32767, q16(32767.5f, 1f));
    assertEquals(-32768, q16(-32768.5f, 1f));
  }

  @Test
  void nanInfinityAndOverflowBecomeTheMostNegativeValue() {
    float[] special = {Float.NaN, Float.POSITIVE_INFINITY, 3e9f, 2147483648f, Float.MAX_VALUE};
    for (float x : special) {
      assertEquals(-127, q8(x, 1f), "int8 of " + x);
      assertEquals(-32768, q16(x, 1f), "int16 of " + x);
    }
    // Large but representable positives saturate upwards; all negatives saturate downwards.
    assertEquals(127, q8(2147483520f, 1f));
    assertEquals(32767, q16(2147483520f, 1f));
    assertEquals(-127, q8(Float.NEGATIVE_INFINITY, 1f));
    assertEquals(-32768, q16(Float.NEGATIVE_INFINITY, 1f));
    assertEquals(-127, q8(-3e9f, 1f));
    assertEquals(-127, q8(-128f, 1f));
    // Overflow produced by the multiplier, not by the input.
    assertEquals(-127, q8(3f, 1e9f));
    assertEquals(-32768, q16(3f, 1e9f));
  }

  @Test
  void intgemmCornerValuesAndMultipliers() {
    float[] corners = {32768f / 9, -32768f / 9, 128f / 9, -128f / 9, 0.5f, -0.5f, 1.5f, 2.5f, 0f, -0f};
    float[] mults = {1f, 32f, -1f, -0.49f};
    for (float m : mults) {
      int[] want8 = Reference.quantize8(corners, m);
      int[] want16 = Reference.quantize16(corners, m);
      for (int i = 0; i < corners.length; i++) {
        assertEquals(want8[i], q8(corners[i], m), corners[i] + " * " + m);
        assertEquals(want16[i], q16(corners[i], m), corners[i] + " * " + m);
      }
    }
  }

  @Test
  void quantizeMatchesReferenceOnEveryLength() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int len = 0; len <= 67; len++) {
      float[] x = Reference.uniform(rnd, len + 3, -300, 300);
      x[1] = Float.NaN;
      byte[] out8 = new byte[len + 3];
      short[] out16 = new short[len + 3];
      Int8.quantize(x, 3, out8, 3, len, 0.7f);
      Int16.quantize(x, 3, out16, 3, len, 117f);
      float[] slice = java.util.Arrays.copyOfRange(x, 3, len + 3);
      int[] w8 = Reference.quantize8(slice, 0.7f);
      int[] w16 = Reference.quantize16(slice, 117f);
      for (int i = 0; i < len; i++) {
        assertEquals(w8[i], out8[i + 3], "len " + len + " index " + i);
        assertEquals(w16[i], out16[i + 3], "len " + len + " index " + i);
      }
      assertEquals(0, out8[0]);
    }
  }

  @Test
  void prepareAShiftIsInt8Plus127() {
    SplittableRandom rnd = new SplittableRandom(2);
    int[][] shapes = {{64, 64}, {256, 256}, {2048, 256}, {3, 192}};
    for (int[] s : shapes) {
      float[] a = Reference.uniform(rnd, s[0] * s[1], -2, 2);
      a[0] = Float.NaN;
      a[1] = Float.POSITIVE_INFINITY;
      PreparedA signed = Int8.prepareA(a, 64f, s[0], s[1]);
      PreparedA shifted = Int8Shift.prepareA(a, 64f, s[0], s[1]);
      int[] want = Reference.quantize8(a, 64f);
      for (int r = 0; r < s[0]; r++) {
        for (int k = 0; k < s[1]; k++) {
          assertEquals(want[r * s[1] + k], signed.quantized(r, k));
          assertEquals(want[r * s[1] + k] + 127, shifted.quantized(r, k));
        }
      }
      assertEquals(0, shifted.quantized(0, 0));
      assertEquals(0, shifted.quantized(0, 1));
    }
  }

  @Test
  void prepareA16MatchesQuantize() {
    SplittableRandom rnd = new SplittableRandom(3);
    float[] a = Reference.uniform(rnd, 5 * 96, -40, 40);
    PreparedA p = Int16.prepareA(a, 1024f, 5, 96);
    int[] want = Reference.quantize16(a, 1024f);
    for (int r = 0; r < 5; r++) {
      for (int k = 0; k < 96; k++) {
        assertEquals(want[r * 96 + k], p.quantized(r, k));
      }
    }
  }

  @Test
  void maxAbsoluteIsExact() {
    SplittableRandom rnd = new SplittableRandom(4);
    for (int len = 1; len <= 64; len++) {
      for (int at = 0; at < len; at += 7) {
        float[] x = Reference.uniform(rnd, len, -8, 8);
        x[at] = (at & 1) == 0 ? 32f : -32f;
        assertEquals(32f, Int8.maxAbsolute(x), "len " + len + " at " + at);
        assertEquals(32f, Int16.maxAbsolute(x, 0, len));
      }
    }
    assertEquals(0f, Int8.maxAbsolute(new float[0]));
    float[] x = {1f, -5f, 3f, 9f};
    assertEquals(5f, Int8.maxAbsolute(x, 0, 3));
    assertArrayEquals(new float[] {1f, -5f, 3f, 9f}, x);
  }
}
