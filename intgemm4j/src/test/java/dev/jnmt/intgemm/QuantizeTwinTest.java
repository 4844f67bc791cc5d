package dev.jnmt.intgemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link VectorQuantize} against its twin {@link ScalarQuantize}, bit for bit, on random and special values. */
class QuantizeTwinTest {

  static final float[] SPECIAL = {
    Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f,
    126.5f, 127.5f, -127.5f, 128f, -128f, 32766.5f, 32767.5f, -32768.5f, 32768f, 2147483520f, 2147483648f,
    -2147483648f, 3e9f, -3e9f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, 4194303.5f, 8388607.5f
  };

  static float[] data(SplittableRandom rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = switch (rnd.nextInt(4)) {
        case 0 -> SPECIAL[rnd.nextInt(SPECIAL.length)];
        case 1 -> (float) rnd.nextDouble(-200, 200);
        case 2 -> Math.round(rnd.nextDouble(-300, 300)) + 0.5f;
        default -> (float) rnd.nextDouble(-1, 1);
      };
    }
    return x;
  }

  static final float[] MULTS = {1f, 127f, 64f, 1024f, 0.37f, -1f, 3e4f};

  @Test
  void quantizeAndMaxAbsolute() {
    SplittableRandom rnd = new SplittableRandom(30);
    for (int len = 0; len <= 70; len++) {
      for (float q : MULTS) {
        float[] x = data(rnd, len + 5);
        int off = rnd.nextInt(5);
        byte[] v8 = new byte[len + 3], s8 = new byte[len + 3];
        VectorQuantize.quantize8(x, off, v8, 3, len, q);
        ScalarQuantize.quantize8(x, off, s8, 3, len, q);
        assertArrayEquals(s8, v8, "8-bit len " + len + " q " + q);
        short[] v16 = new short[len + 2], s16 = new short[len + 2];
        VectorQuantize.quantize16(x, off, v16, 2, len, q);
        ScalarQuantize.quantize16(x, off, s16, 2, len, q);
        assertArrayEquals(s16, v16, "16-bit len " + len + " q " + q);
        int[] vi = new int[len], si = new int[len];
        VectorQuantize.prepareA16(x, off, q, len, vi);
        ScalarQuantize.prepareA16(x, off, q, len, si);
        assertArrayEquals(si, vi, "prepareA16 len " + len + " q " + q);
      }
      float[] y = Reference.uniform(rnd, len + 4, -50, 50);
      int from = Math.min(2, len);
      assertEquals(ScalarQuantize.maxAbsolute(y, from, len), VectorQuantize.maxAbsolute(y, from, len), 0f);
    }
  }

  @Test
  void prepareA8SplitLayout() {
    SplittableRandom rnd = new SplittableRandom(31);
    int[][] shapes = {{1, 64}, {3, 128}, {2, 256}, {5, 64}};
    for (int[] s : shapes) {
      for (float q : MULTS) {
        for (int shift : new int[] {0, 127}) {
          float[] x = data(rnd, s[0] * s[1] + 7);
          short[] v = new short[s[0] * s[1]], sc = new short[s[0] * s[1]];
          VectorQuantize.prepareA8(x, 7, q, s[0], s[1], v, shift);
          ScalarQuantize.prepareA8(x, 7, q, s[0], s[1], sc, shift);
          assertArrayEquals(sc, v, s[0] + "x" + s[1] + " q " + q + " shift " + shift);
        }
      }
    }
  }
}
