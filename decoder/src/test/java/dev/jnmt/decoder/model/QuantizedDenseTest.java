package dev.jnmt.decoder.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.intgemm.Int16;
import dev.jnmt.intgemm.Int8;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The quantized dense layers against independent references: bit for bit against the exact integer
 * product where intgemm's saturation cannot trigger (per-row dynamic scaling, Marian's static alpha
 * formula), within the quantization error bound of a float64 reference on realistic data, batch
 * invariance, padding of odd shapes, and the edge cases.
 */
class QuantizedDenseTest {

  private static final float[] NO_BIAS = null;

  /** Weights in [-0.5, 0.5]·s plus one entry s at an even k whose partner k+1 is 0: no pair can saturate. */
  static float[] weights(SplittableRandom r, int out, int in, float s) {
    float[] w = new float[out * in];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextDouble(-0.5, 0.5) * s);
    }
    int n = r.nextInt(out);
    int k = 2 * r.nextInt(in / 2);
    w[n * in + k] = s;
    w[n * in + k + 1] = 0f;
    return w;
  }

  static float[] gaussian(SplittableRandom r, int n, double sigma) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextGaussian() * sigma);
    }
    return x;
  }

  static float maxAbs(float[] x, int from, int to) {
    float m = 0f;
    for (int i = from; i < to; i++) {
      m = Math.max(m, Math.abs(x[i]));
    }
    return m;
  }

  static int[] quantize(GemmPrecision p, float[] x, int from, int to, float q) {
    float[] part = Arrays.copyOfRange(x, from, to);
    int[] out = new int[part.length];
    if (p == GemmPrecision.INT16) {
      short[] s = new short[part.length];
      Int16.quantize(part, 0, s, 0, part.length, q);
      for (int i = 0; i < s.length; i++) {
        out[i] = s[i];
      }
    } else {
      byte[] b = new byte[part.length];
      Int8.quantize(part, 0, b, 0, part.length, q);
      for (int i = 0; i < b.length; i++) {
        out[i] = b[i];
      }
    }
    return out;
  }

  /** The expected weight multiplier, restated from the documented rule. */
  static float weightMult(GemmPrecision p, float[] w, int in) {
    float m = maxAbs(w, 0, w.length);
    if (p == GemmPrecision.INT16) {
      int kp = (in + 31) / 32 * 32;
      return (float) Math.min(32767, Math.floor(Math.sqrt(2147483647.0 / kp))) / m;
    }
    return 127f / m;
  }

  /** The expected dynamic row range: 127, or for 16-bit the largest R with kp·R·max|B| ≤ 2^31−1. */
  static float rowRange(GemmPrecision p, int[] wq, int in) {
    if (p != GemmPrecision.INT16) {
      return 127f;
    }
    int kp = (in + 31) / 32 * 32;
    int mb = 0;
    for (int v : wq) {
      mb = Math.max(mb, Math.abs(v));
    }
    return (float) Math.min(32767, Math.floor(2147483647.0 / ((double) kp * mb)));
  }

  /** Dynamic per-row reference with exact integer sums (valid where nothing saturates). */
  static float[] dynamicReference(GemmPrecision p, float[] w, int out, int in, float[] bias, float[] x, int rows) {
    float qb = weightMult(p, w, in);
    int[] wq = quantize(p, w, 0, w.length, qb);
    float range = rowRange(p, wq, in);
    float[] y = new float[rows * out];
    for (int r = 0; r < rows; r++) {
      float m = maxAbs(x, r * in, (r + 1) * in);
      float qa = m > 0 ? range / m : 1f;
      int[] a = quantize(p, x, r * in, (r + 1) * in, qa);
      float unq = 1f / (qa * qb);
      for (int n = 0; n < out; n++) {
        long sum = 0;
        for (int k = 0; k < in; k++) {
          sum += (long) a[k] * wq[n * in + k];
        }
        y[r * out + n] = (float) sum * unq + (bias == null ? 0f : bias[n]);
      }
    }
    return y;
  }

  @ParameterizedTest
  @EnumSource(value = GemmPrecision.class, names = {"INT16", "INT8", "INT8_SHIFT"})
  void dynamicRowsMatchTheExactIntegerProduct(GemmPrecision p) {
    SplittableRandom r = new SplittableRandom(11);
    // K = 64 keeps Int8's 16-bit lanes below saturation for these weights; 24 and 40 are padded.
    for (int[] shape : new int[][] {{16, 64}, {24, 64}, {12, 24}, {8, 40}, {40, 128}}) {
      int out = shape[0];
      int in = shape[1];
      if (p == GemmPrecision.INT8 && in > 64) {
        continue;
      }
      float[] w = weights(r, out, in, 0.3f);
      float[] bias = gaussian(r, out, 0.1);
      int rows = 7;
      float[] x = gaussian(r, rows * in, 1.0);
      Arrays.fill(x, 2 * in, 3 * in, 0f); // an all-zero row
      Dense layer = Dense.create(p, w, out, in, bias);
      assertEquals(p, layer.precision());
      float[] y = new float[rows * out];
      layer.forward(x, rows, y);
      float[] want = dynamicReference(p, w, out, in, bias, x, rows);
      assertArrayEquals(want, y, p + " " + out + "x" + in);
      assertArrayEquals(Arrays.copyOf(bias, out), Arrays.copyOfRange(y, 2 * out, 3 * out), "zero row gives the bias");
    }
  }

  @ParameterizedTest
  @EnumSource(value = GemmPrecision.class, names = {"INT16", "INT8", "INT8_SHIFT"})
  void closeToFloat64OnRealisticData(GemmPrecision p) {
    SplittableRandom r = new SplittableRandom(5);
    int in = p == GemmPrecision.INT8 ? 128 : 512;
    int out = 96;
    int rows = 9;
    float[] w = gaussian(r, out * in, 1 / Math.sqrt(in));
    float[] bias = gaussian(r, out, 0.1);
    float[] x = gaussian(r, rows * in, 1.0);
    x[3] = 7f; // an outlier in row 0
    QuantizedDense layer = (QuantizedDense) Dense.create(p, w, out, in, bias);
    float[] y = new float[rows * out];
    layer.forward(x, rows, y);
    float qb = layer.weightQuantMult();
    double worst = 0;
    for (int row = 0; row < rows; row++) {
      float m = maxAbs(x, row * in, (row + 1) * in);
      double qa = (p == GemmPrecision.INT16 ? layer.rowRange() : 127.0) / m;
      for (int n = 0; n < out; n++) {
        double ref = bias[n];
        double bound = 0;
        double mag = Math.abs(bias[n]);
        for (int k = 0; k < in; k++) {
          double xv = x[row * in + k];
          double wv = w[n * in + k];
          ref += xv * wv;
          mag += Math.abs(xv * wv);
          // |x·w − a·b/(qA·qB)| with |a − x·qA|, |b − w·qB| ≤ 1/2
          bound += ((Math.abs(xv) * qa + 0.5) * 0.5 + (Math.abs(wv) * qb + 0.5) * 0.5 + 0.25) / (qa * qb);
        }
        double err = Math.abs(y[row * out + n] - ref);
        worst = Math.max(worst, err / bound);
        assertTrue(err <= bound + 1e-5 * mag, p + " row " + row + " col " + n + ": error " + err + " > bound " + bound);
      }
    }
    assertTrue(worst > 0, "a quantized layer is not exact");
  }

  @ParameterizedTest
  @EnumSource(value = GemmPrecision.class, names = {"INT16", "INT8", "INT8_SHIFT"})
  void rowsDoNotDependOnTheBatch(GemmPrecision p) {
    SplittableRandom r = new SplittableRandom(3);
    int in = 256;
    int out = 40;
    float[] w = gaussian(r, out * in, 0.06);
    float[] bias = gaussian(r, out, 0.1);
    int rows = 13;
    float[] x = gaussian(r, rows * in, 1.0);
    for (int k = 0; k < in; k++) {
      x[5 * in + k] *= 40f; // one loud row must not change the others
    }
    for (Dense layer :
        new Dense[] {
          Dense.create(p, w, out, in, bias),
          p.is8Bit() ? QuantizedDense.fromFloat(p, w, out, in, bias, Float.NaN, 20f) : Dense.create(p, w, out, in, null)
        }) {
      float[] all = new float[rows * out];
      layer.forward(x, rows, all);
      for (int row = 0; row < rows; row++) {
        float[] one = new float[out];
        layer.forward(Arrays.copyOfRange(x, row * in, (row + 1) * in), 1, one);
        assertArrayEquals(Arrays.copyOfRange(all, row * out, (row + 1) * out), one, layer + " row " + row);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = GemmPrecision.class, names = {"INT8", "INT8_SHIFT"})
  void staticActivationScaleIsMarianAlphaSemantics(GemmPrecision p) {
    SplittableRandom r = new SplittableRandom(17);
    for (int[] shape : new int[][] {{16, 64}, {12, 24}}) {
      int out = shape[0];
      int in = shape[1];
      float[] w = weights(r, out, in, 0.25f);
      float[] bias = gaussian(r, out, 0.1);
      int rows = 5;
      float[] x = gaussian(r, rows * in, 1.0);
      x[1] = 9f; // beyond alpha = 127/qA: clips
      float qa = 127f / 2.5f;
      QuantizedDense layer = QuantizedDense.fromFloat(p, w, out, in, bias, Float.NaN, qa);
      assertTrue(layer.hasStaticActivations());
      assertEquals(qa, layer.activationQuantMult());
      float[] y = new float[rows * out];
      layer.forward(x, rows, y);
      float qb = 127f / maxAbs(w, 0, w.length);
      int[] wq = quantize(p, w, 0, w.length, qb);
      float unq = 1f / (qa * qb);
      for (int row = 0; row < rows; row++) {
        int[] a = quantize(p, x, row * in, (row + 1) * in, qa);
        for (int n = 0; n < out; n++) {
          long sum = 0;
          long colsum = 0;
          for (int k = 0; k < in; k++) {
            int av = p == GemmPrecision.INT8_SHIFT ? a[k] + 127 : a[k];
            sum += (long) av * wq[n * in + k];
            colsum += wq[n * in + k];
          }
          float b = bias[n];
          if (p == GemmPrecision.INT8_SHIFT) {
            // intgemm's PrepareBias with Marian's factor, folded once
            b = (float) colsum * ((-1f) * ((127f / qa) * (127f / qb)) / 127f) + bias[n];
          }
          assertEquals((float) sum * unq + b, y[row * out + n], p + " " + out + "x" + in + " (" + row + ", " + n + ")");
        }
      }
    }
  }

  @Test
  void int16NeverWrapsEvenAtFullRange() {
    int in = 1024;
    int out = 8;
    float[] w = new float[out * in];
    Arrays.fill(w, 0.5f);
    float[] x = new float[2 * in];
    Arrays.fill(x, 0, in, 3f);
    Arrays.fill(x, in, 2 * in, -3f);
    Dense layer = Dense.create(GemmPrecision.INT16, w, out, in, NO_BIAS);
    float[] y = new float[2 * out];
    layer.forward(x, 2, y);
    for (int n = 0; n < out; n++) {
      assertEquals(1536.0, y[n], 1536 * 1e-5);
      assertEquals(-1536.0, y[out + n], 1536 * 1e-5);
    }
  }

  @ParameterizedTest
  @EnumSource(value = GemmPrecision.class, names = {"INT16", "INT8", "INT8_SHIFT"})
  void nonFiniteInputGivesANanRowAndLeavesTheOthers(GemmPrecision p) {
    SplittableRandom r = new SplittableRandom(9);
    int in = 64;
    int out = 8;
    Dense layer = Dense.create(p, gaussian(r, out * in, 0.1), out, in, NO_BIAS);
    float[] x = gaussian(r, 3 * in, 1);
    x[in + 4] = Float.NaN;
    x[2 * in + 7] = Float.POSITIVE_INFINITY;
    float[] y = new float[3 * out];
    layer.forward(x, 3, y);
    for (int n = 0; n < out; n++) {
      assertFalse(Float.isNaN(y[n]));
      assertTrue(Float.isNaN(y[out + n]));
      assertTrue(Float.isNaN(y[2 * out + n]));
    }
    layer.forward(x, 0, y); // zero rows: nothing to do
  }

  @Test
  void storedWeightsAreUsedAsGiven() {
    SplittableRandom r = new SplittableRandom(21);
    int out = 16;
    int in = 64;
    float[] w = weights(r, out, in, 0.4f);
    float qb = 127f / 0.4f;
    byte[] wq = QuantizedDense.quantize8(w, qb);
    QuantizedDense fromFloat = QuantizedDense.fromFloat(GemmPrecision.INT8_SHIFT, w, out, in, null, Float.NaN, Float.NaN);
    QuantizedDense fromBytes = QuantizedDense.fromInt8(GemmPrecision.INT8_SHIFT, wq, out, in, null, qb, Float.NaN);
    assertEquals(qb, fromFloat.weightQuantMult());
    for (int n = 0; n < out; n++) {
      for (int k = 0; k < in; k++) {
        assertEquals(wq[n * in + k], fromBytes.quantizedWeight(n, k));
        assertEquals(wq[n * in + k], fromFloat.quantizedWeight(n, k));
      }
    }
    float[] x = gaussian(r, 3 * in, 1);
    float[] y1 = new float[3 * out];
    float[] y2 = new float[3 * out];
    fromFloat.forward(x, 3, y1);
    fromBytes.forward(x, 3, y2);
    assertArrayEquals(y1, y2);
  }

  @Test
  void badInputsAreRejected() {
    byte[] w = new byte[8 * 64];
    w[5] = -128;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> QuantizedDense.fromInt8(GemmPrecision.INT8, w, 8, 64, null, 1f, Float.NaN));
    assertTrue(e.getMessage().contains("-128"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> QuantizedDense.fromInt8(GemmPrecision.INT8, new byte[8 * 64], 8, 64, null, 0f, Float.NaN));
    assertThrows(IllegalArgumentException.class, () -> QuantizedDense.fromInt8(GemmPrecision.INT8, new byte[8 * 64], 8, 64, null, 1f, Float.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> QuantizedDense.fromInt8(GemmPrecision.INT16, new byte[8 * 64], 8, 64, null, 1f, Float.NaN));
    assertThrows(IllegalArgumentException.class, () -> QuantizedDense.fromInt8(GemmPrecision.INT8, new byte[8 * 63], 8, 64, null, 1f, Float.NaN));
    assertThrows(IllegalArgumentException.class, () -> QuantizedDense.fromInt16(new short[8 * 64], 8, 64, new float[7], 1f));
    float[] nan = new float[8 * 64];
    nan[3] = Float.NaN;
    assertThrows(IllegalArgumentException.class, () -> Dense.create(GemmPrecision.INT8, nan, 8, 64, null));
  }

  @Test
  void allZeroWeightsGiveTheBias() {
    float[] bias = {1, 2, 3, 4, 5, 6, 7, 8};
    Dense layer = Dense.create(GemmPrecision.INT8_SHIFT, new float[8 * 64], 8, 64, bias);
    float[] x = new float[64];
    Arrays.fill(x, 0.3f);
    float[] y = new float[8];
    layer.forward(x, 1, y);
    assertArrayEquals(bias, y);
  }

  @Test
  void quantizedEmbeddingsDequantizeLikeMarian() {
    byte[] q = {-127, 0, 5, 127, 3, -3};
    float qb = 127f / 0.7f;
    EmbeddingTable.Int8 t = new EmbeddingTable.Int8(q, qb, 3, 2);
    float inv = 1f / qb;
    assertEquals(-127 * inv, t.value(0, 0));
    assertEquals(127 * inv, t.value(1, 1));
    float[] pos = {0.5f, -0.5f, 1f, 2f};
    float[] x = new float[2];
    t.embed(2, 3f, pos, 2, x, 0);
    assertEquals((3 * inv) * 3f + 1f, x[0]);
    assertEquals((-3 * inv) * 3f + 2f, x[1]);
    EmbeddingTable.Floats f = new EmbeddingTable.Floats(new float[] {1, 2, 3, 4}, 2, 2);
    f.embed(1, 2f, pos, 0, x, 0);
    assertArrayEquals(new float[] {6.5f, 7.5f}, x);
  }
}
