package dev.jnmt.decoder.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Hand-checked values for the scalar kernels, and the vector twins against them. */
class FloatOpsTest {

  private static final int[] LENGTHS = {1, 3, 7, 8, 9, 15, 16, 17, 31, 64, 100, 513};

  private static float[] random(SplittableRandom r, int n, double scale) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
    }
    return x;
  }

  /** Exact erf in double: Taylor series for |x| < 3, continued fraction of erfc beyond. */
  static double erfExact(double x) {
    double a = Math.abs(x);
    double r;
    if (a < 3) {
      double term = a;
      double sum = a;
      for (int n = 1; n < 200; n++) {
        term *= -a * a / n;
        double add = term / (2 * n + 1);
        sum += add;
        if (Math.abs(add) < 1e-17) {
          break;
        }
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      double f = 0;
      for (int n = 60; n >= 1; n--) {
        f = n / 2.0 / (a + f);
      }
      r = 1 - Math.exp(-a * a) / Math.sqrt(Math.PI) / (a + f);
    }
    return Math.copySign(r, x);
  }

  @Test
  void firstNonFiniteFindsTheFirstAcrossBlocks() {
    int n = 3 * ScalarOps.FINITE_BLOCK + 5;
    float[] x = new float[n + 2];
    SplittableRandom r = new SplittableRandom(17);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (r.nextDouble(-1, 1) * (i % 3 == 0 ? Float.MAX_VALUE : 1e-40));
    }
    x[5] = -0f;
    x[6] = -Float.MAX_VALUE;
    x[7] = Float.MIN_VALUE;
    assertEquals(-1, FloatOps.firstNonFinite(x, 1, n));
    int b = ScalarOps.FINITE_BLOCK;
    int[] positions = {0, b - 1, b, b + 1, 2 * b - 1, 2 * b, 3 * b, n - 1};
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xffc00001)};
    for (int p : positions) {
      for (float special : specials) {
        float[] y = x.clone();
        y[1 + p] = special;
        if (1 + p + 1 < 1 + n) {
          y[1 + p + 1] = Float.NaN;
        }
        if (p + 2 * b < n) {
          y[1 + p + 2 * b] = Float.POSITIVE_INFINITY; // a later block too: the first is reported
        }
        y[0] = Float.NaN; // outside the range: ignored
        y[n + 1] = Float.NaN;
        assertEquals(p, FloatOps.firstNonFinite(y, 1, n), "at " + p + " " + special);
      }
    }
  }

  @Test
  void firstNonFiniteMatchesTheScalarTwinAtEveryPosition() {
    SplittableRandom r = new SplittableRandom(16);
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    for (int n : LENGTHS) {
      float[] x = random(r, n + 5, 1e30);
      x[2] = Float.MAX_VALUE;
      x[n + 4] = -Float.MAX_VALUE;
      assertEquals(-1, ScalarOps.firstNonFinite(x, 2, n));
      assertEquals(-1, FloatOps.firstNonFinite(x, 2, n));
      for (int at = 0; at < n; at++) {
        float[] y = x.clone();
        y[2 + at] = specials[at % 3];
        if (at + 1 < n) {
          y[3 + at] = Float.NaN; // a second one later: the first is reported
        }
        y[1] = Float.NaN; // outside the range: ignored
        assertEquals(at, ScalarOps.firstNonFinite(y, 2, n));
        assertEquals(at, FloatOps.firstNonFinite(y, 2, n));
      }
    }
  }

  @Test
  void softmaxHandChecked() {
    float[] x = {1f, 2f, 3f};
    ScalarOps.softmax(x, 0, 3);
    double z = Math.exp(-2) + Math.exp(-1) + 1;
    assertArrayEquals(
        new float[] {(float) (Math.exp(-2) / z), (float) (Math.exp(-1) / z), (float) (1 / z)}, x, 1e-7f);
    float[] y = {0f, 5f, 1f, 2f, 3f, 4f, Float.NEGATIVE_INFINITY, 9f, 9f};
    float[] v = y.clone();
    ScalarOps.softmax(y, 1, 3);
    VectorOps.softmax(v, 1, 3);
    assertEquals(0f, y[0]);
    assertEquals(3f, y[4], "outside the range untouched");
    assertArrayEquals(y, v, 1e-7f);
  }

  @Test
  void logSoftmaxKeepsMinusInfinity() {
    float[] x = {Float.NEGATIVE_INFINITY, 0f, 0f, Float.NEGATIVE_INFINITY};
    ScalarOps.logSoftmax(x, 0, 4);
    assertEquals(Float.NEGATIVE_INFINITY, x[0]);
    assertEquals((float) -Math.log(2), x[1], 1e-7f);
    float[] big = new float[40];
    Arrays.fill(big, Float.NEGATIVE_INFINITY);
    big[33] = 0f;
    float[] vb = big.clone();
    ScalarOps.logSoftmax(big, 0, 40);
    VectorOps.logSoftmax(vb, 0, 40);
    assertEquals(0f, big[33]);
    assertArrayEquals(big, vb);
  }

  @Test
  void layerNormHandChecked() {
    float[] x = {1f, 2f, 3f, 4f};
    float[] g = {1f, 1f, 2f, 1f};
    float[] b = {0f, 0f, 0f, 10f};
    ScalarOps.layerNorm(x, 0, 4, g, b, 1e-5f);
    // mean 2.5, biased variance 1.25
    double rstd = 1 / Math.sqrt(1.25 + 1e-5);
    assertArrayEquals(
        new float[] {(float) (-1.5 * rstd), (float) (-0.5 * rstd), (float) (2 * 0.5 * rstd), (float) (10 + 1.5 * rstd)},
        x,
        1e-6f);
  }

  @Test
  void activationsHandChecked() {
    float[] x = {-2f, -0.5f, 0f, 0.5f, 3f};
    float[] relu = x.clone();
    ScalarOps.relu(relu, 0, 5);
    assertArrayEquals(new float[] {0f, 0f, 0f, 0.5f, 3f}, relu);
    float[] sw = x.clone();
    ScalarOps.swish(sw, 0, 5);
    for (int i = 0; i < 5; i++) {
      assertEquals(x[i] / (1 + Math.exp(-x[i])), sw[i], 1e-6);
    }
    float[] ge = x.clone();
    ScalarOps.gelu(ge, 0, 5);
    for (int i = 0; i < 5; i++) {
      double want = 0.5 * x[i] * (1 + erfExact(x[i] / Math.sqrt(2)));
      assertEquals(want, ge[i], 3e-7 * Math.max(1, Math.abs(x[i])), "gelu(" + x[i] + ")");
    }
    float[] gt = x.clone();
    ScalarOps.geluTanh(gt, 0, 5);
    for (int i = 0; i < 5; i++) {
      double v = x[i];
      double want = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
      assertEquals(want, gt[i], 1e-6);
    }
  }

  @Test
  void erfApproximationIsWithinHalfAMillionth() {
    double worst = 0;
    for (int i = -6000; i <= 6000; i++) {
      float x = i / 1000f;
      worst = Math.max(worst, Math.abs(ScalarOps.erf(x) - erfExact(x)));
    }
    assertTrue(worst < 5e-7, "max |erf error| " + worst);
  }

  private static void twin(Consumer<float[]> scalar, Consumer<float[]> vector, float[] x, float tol, String what) {
    float[] s = x.clone();
    float[] v = x.clone();
    scalar.accept(s);
    vector.accept(v);
    for (int i = 0; i < x.length; i++) {
      float d = Math.abs(s[i] - v[i]);
      boolean same = Float.floatToRawIntBits(s[i]) == Float.floatToRawIntBits(v[i])
          || (tol > 0 && d <= tol * Math.max(1f, Math.abs(s[i])));
      assertTrue(same, what + " n=" + x.length + " i=" + i + ": scalar " + s[i] + " vector " + v[i]);
    }
  }

  @Test
  void vectorTwinsMatchScalarOnRandomInputs() {
    SplittableRandom r = new SplittableRandom(42);
    for (int n : LENGTHS) {
      for (double scale : new double[] {1e-3, 1, 10, 80}) {
        float[] x = random(r, n + 3, scale);
        float[] y = random(r, n + 3, scale);
        float[] g = random(r, n, 2);
        float[] b = random(r, n, 2);
        assertEquals(
            Float.floatToRawIntBits(ScalarOps.dot(x, 1, y, 2, n)),
            Float.floatToRawIntBits(VectorOps.dot(x, 1, y, 2, n)),
            "dot n=" + n);
        assertEquals(ScalarOps.max(x, 2, n), VectorOps.max(x, 2, n));
        twin(a -> ScalarOps.axpy(0.7f, y, 0, a, 1, n), a -> VectorOps.axpy(0.7f, y, 0, a, 1, n), x, 0f, "axpy");
        twin(a -> ScalarOps.add(y, 0, a, 1, n), a -> VectorOps.add(y, 0, a, 1, n), x, 0f, "add");
        twin(a -> ScalarOps.scale(a, 1, n, 0.3f), a -> VectorOps.scale(a, 1, n, 0.3f), x, 0f, "scale");
        twin(a -> ScalarOps.softmax(a, 1, n), a -> VectorOps.softmax(a, 1, n), x, 0f, "softmax");
        twin(a -> ScalarOps.logSoftmax(a, 1, n), a -> VectorOps.logSoftmax(a, 1, n), x, 0f, "logSoftmax");
        twin(a -> ScalarOps.layerNorm(a, 2, n, g, b, 1e-5f), a -> VectorOps.layerNorm(a, 2, n, g, b, 1e-5f), x, 0f, "layerNorm");
        twin(a -> ScalarOps.relu(a, 1, n), a -> VectorOps.relu(a, 1, n), x, 0f, "relu");
        twin(a -> ScalarOps.swish(a, 1, n), a -> VectorOps.swish(a, 1, n), x, 0f, "swish");
        twin(a -> ScalarOps.gelu(a, 1, n), a -> VectorOps.gelu(a, 1, n), x, 0f, "gelu");
        twin(a -> ScalarOps.geluTanh(a, 1, n), a -> VectorOps.geluTanh(a, 1, n), x, 0f, "geluTanh");
      }
    }
  }

  /**
   * The decoder applies activations to [rows × ffn] in one call, so an element's result must not depend on
   * where it sits in the array (in a full vector or in the last, partial one): otherwise a sentence's
   * scores would change with the number of rows batched with it whenever ffn is not a multiple of the lanes.
   */
  @Test
  void vectorActivationsGiveTheSameBitsAtEveryPosition() {
    SplittableRandom r = new SplittableRandom(11);
    int n = 24 * VectorOps.lanes() + 5;
    float[] x = random(r, n, 6);
    x[0] = -0f;
    x[1] = 1e-30f;
    x[2] = -87f;
    for (var op : List.<Map.Entry<String, Activation>>of(
        Map.entry("swish", VectorOps::swish), Map.entry("gelu", VectorOps::gelu), Map.entry("geluTanh", VectorOps::geluTanh))) {
      // Check compiled code: with the Vector API's EXP (before Exp), lanes and the scalar tail agreed while
      // interpreted (lane-by-lane Math) and disagreed once C2 had compiled the kernel (SVML).
      float[] warm = new float[2 * VectorOps.lanes() + 3];
      for (int i = 0; i < 30_000; i++) {
        op.getValue().apply(warm, 0, warm.length - (i & 1));
      }
      float[] whole = x.clone();
      op.getValue().apply(whole, 0, n);
      for (int i = 0; i < n; i++) {
        // the element alone (a partial vector), and at every offset of a full one
        float[] one = {x[i]};
        op.getValue().apply(one, 0, 1);
        assertEquals(Float.floatToRawIntBits(whole[i]), Float.floatToRawIntBits(one[0]), op.getKey() + "(" + x[i] + ") alone");
        for (int shift = 1; shift < VectorOps.lanes(); shift += 3) {
          float[] shifted = new float[n + shift];
          System.arraycopy(x, 0, shifted, shift, n);
          op.getValue().apply(shifted, 0, n + shift);
          assertEquals(Float.floatToRawIntBits(whole[i]), Float.floatToRawIntBits(shifted[i + shift]), op.getKey() + "(" + x[i] + ") shifted by " + shift);
        }
      }
    }
  }

  @FunctionalInterface
  private interface Activation {
    void apply(float[] x, int o, int n);
  }

  @Test
  void attendIsBitIdenticalToItsTwinForEveryShape() {
    SplittableRandom r = new SplittableRandom(12);
    // heads × hd: groups of four heads and leftover heads; hd a multiple of every width's lanes (the
    // all-heads context path) and not (per-head fallback); d a multiple of 8 vectors and not.
    int[][] shapes = {{1, 16}, {2, 8}, {3, 16}, {4, 64}, {5, 16}, {8, 64}, {4, 12}, {6, 32}, {1, 4}};
    for (int[] shape : shapes) {
      int heads = shape[0];
      int hd = shape[1];
      int d = heads * hd;
      float scaling = (float) Math.pow(hd, -0.5);
      for (int n : new int[] {1, 2, 7, 13, 15, 16, 17, 31, 32, 33, 47, 64, 65}) {
        int stride = FloatOps.roundUpToPad(n) + (n % 3 == 0 ? FloatOps.PAD : 0);
        float[] q = random(r, 3 + d, 2);
        float[] kt = random(r, 5 + d * stride, 2); // the padding holds junk too: it must not matter
        float[] v = random(r, 1 + n * d, 3);
        float[] cs = new float[d + 2];
        float[] cv = new float[d + 2];
        float[] ss = new float[heads * stride];
        float[] sv = new float[heads * stride];
        float[][] ktc = {kt};
        float[][] vcc = {v};
        ScalarOps.attend(q, 3, ktc, 5, stride, vcc, 1, stride, n, d, heads, scaling, cs, 2, ss, stride);
        VectorOps.attend(q, 3, ktc, 5, stride, vcc, 1, stride, n, d, heads, scaling, cv, 2, sv, stride);
        FloatOps.attend(q, 3, ktc, 5, stride, vcc, 1, stride, n, d, heads, scaling, cv, 2, sv, stride);
        // The same keys and values in chunks of 16 or 32 positions (keys then values in one array per
        // chunk, as KvCache holds them; the padding of every chunk is junk), at a wider score stride.
        for (int chunk : new int[] {16, 32}) {
          int chunks = (n + chunk - 1) / chunk;
          float[][] kv = new float[chunks][];
          for (int ch = 0; ch < chunks; ch++) {
            kv[ch] = random(r, 2 * d * chunk, 5);
            for (int j = ch * chunk; j < Math.min(n, (ch + 1) * chunk); j++) {
              for (int c = 0; c < d; c++) {
                kv[ch][c * chunk + j - ch * chunk] = kt[5 + c * stride + j];
                kv[ch][d * chunk + (j - ch * chunk) * d + c] = v[1 + j * d + c];
              }
            }
          }
          int sStride = chunks * chunk + FloatOps.PAD;
          float[] cc = new float[d + 2];
          float[] cc2 = new float[d + 2];
          float[] sc = new float[heads * sStride];
          float[] sc2 = new float[heads * sStride];
          ScalarOps.attend(q, 3, kv, 0, chunk, kv, d * chunk, chunk, n, d, heads, scaling, cc, 2, sc, sStride);
          VectorOps.attend(q, 3, kv, 0, chunk, kv, d * chunk, chunk, n, d, heads, scaling, cc2, 2, sc2, sStride);
          assertArrayEquals(cs, cc, "chunked scalar attend chunk=" + chunk + " heads=" + heads + " n=" + n);
          assertArrayEquals(cs, cc2, "chunked vector attend chunk=" + chunk + " heads=" + heads + " n=" + n);
          for (int h = 0; h < heads; h++) {
            assertArrayEquals(
                Arrays.copyOfRange(ss, h * stride, h * stride + n),
                Arrays.copyOfRange(sc2, h * sStride, h * sStride + n),
                "chunked probabilities chunk=" + chunk + " n=" + n + " head " + h);
          }
        }
        assertArrayEquals(cs, cv, "attend heads=" + heads + " hd=" + hd + " n=" + n);
        for (int h = 0; h < heads; h++) {
          assertArrayEquals(
              Arrays.copyOfRange(ss, h * stride, h * stride + n),
              Arrays.copyOfRange(sv, h * stride, h * stride + n),
              "probabilities heads=" + heads + " hd=" + hd + " n=" + n + " head " + h);
        }
      }
    }
  }

  @Test
  void gemvTransposedAndWeightedRowsAreBitIdenticalToTheirTwins() {
    SplittableRandom r = new SplittableRandom(7);
    int lanes = VectorOps.lanes();
    for (int k : new int[] {1, 5, 8, 12, 64}) {
      for (int n : new int[] {lanes, 2 * lanes, 4 * lanes, 5 * lanes, 9 * lanes}) {
        int stride = n + 3;
        float[] x = random(r, k + 2, 3);
        float[] a = random(r, 1 + k * stride, 3);
        float[] ys = new float[n + 1];
        float[] yv = new float[n + 1];
        ScalarOps.gemvTransposed(x, 2, k, a, 1, stride, ys, 1, n);
        VectorOps.gemvTransposed(x, 2, k, a, 1, stride, yv, 1, n);
        assertArrayEquals(ys, yv, "gemvTransposed k=" + k + " n=" + n);
      }
    }
    for (int width : new int[] {1, 7, 8, 12, 32, 40, 64}) {
      for (int n : new int[] {1, 3, 17}) {
        int vStride = width + 5;
        float[] w = random(r, n + 1, 1);
        float[] v = random(r, 2 + n * vStride, 3);
        float[] ys = new float[width + 2];
        float[] yv = new float[width + 2];
        ScalarOps.weightedRows(w, 1, n, v, 2, vStride, width, ys, 2);
        VectorOps.weightedRows(w, 1, n, v, 2, vStride, width, yv, 2);
        assertArrayEquals(ys, yv, "weightedRows width=" + width + " n=" + n);
        // Continued over the rows in two pieces: the bits of one pass, scalar and vector.
        int first = n / 2;
        float[] ya = new float[width + 2];
        float[] yb = new float[width + 2];
        ScalarOps.weightedRows(w, 1, first, v, 2, vStride, width, ya, 2, false);
        ScalarOps.weightedRows(w, 1 + first, n - first, v, 2 + first * vStride, vStride, width, ya, 2, true);
        VectorOps.weightedRows(w, 1, first, v, 2, vStride, width, yb, 2, false);
        VectorOps.weightedRows(w, 1 + first, n - first, v, 2 + first * vStride, vStride, width, yb, 2, true);
        assertArrayEquals(ys, ya, "weightedRows in pieces (scalar) width=" + width + " n=" + n);
        assertArrayEquals(ys, yb, "weightedRows in pieces (vector) width=" + width + " n=" + n);
      }
    }
    // hand-checked: x = (1, 2), A = [[1, 2], [3, 4]] stored transposed by rows of x's index
    float[] y = new float[2];
    ScalarOps.gemvTransposed(new float[] {1, 2}, 0, 2, new float[] {1, 2, 3, 4}, 0, 2, y, 0, 2);
    assertArrayEquals(new float[] {7, 10}, y);
    ScalarOps.weightedRows(new float[] {0.5f, 2}, 0, 2, new float[] {1, 2, 3, 4}, 0, 2, 2, y, 0);
    assertArrayEquals(new float[] {6.5f, 9}, y);
  }

  @Test
  void vectorTwinsMatchScalarOnAdversarialInputs() {
    float[][] cases = {
      {Float.NEGATIVE_INFINITY, 0f, -0f, 1e-30f, -1e-30f, 88f, -88f, 100f, -100f, 3.4e38f, -3.4e38f},
      {-3.4028235e38f, -3.4028235e38f, 0.5f, -3.4028235e38f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f},
      {1e6f, 1e6f + 1f, 1e6f - 1f, 1e6f, 1e6f, 1e6f, 1e6f, 1e6f, 1e6f},
    };
    for (float[] x : cases) {
      int n = x.length;
      float[] finite = x.clone();
      for (int i = 0; i < n; i++) {
        if (Float.isInfinite(finite[i])) {
          finite[i] = -1e4f;
        }
      }
      twin(a -> ScalarOps.softmax(a, 0, n), a -> VectorOps.softmax(a, 0, n), x, 0f, "softmax");
      twin(a -> ScalarOps.logSoftmax(a, 0, n), a -> VectorOps.logSoftmax(a, 0, n), x, 0f, "logSoftmax");
      twin(a -> ScalarOps.relu(a, 0, n), a -> VectorOps.relu(a, 0, n), finite, 0f, "relu");
      twin(a -> ScalarOps.swish(a, 0, n), a -> VectorOps.swish(a, 0, n), finite, 0f, "swish");
      twin(a -> ScalarOps.gelu(a, 0, n), a -> VectorOps.gelu(a, 0, n), finite, 0f, "gelu");
      twin(a -> ScalarOps.geluTanh(a, 0, n), a -> VectorOps.geluTanh(a, 0, n), finite, 0f, "geluTanh");
    }
    // A constant row has zero variance: LayerNorm gives beta exactly, in both twins.
    float[] c = new float[19];
    Arrays.fill(c, 7.25f);
    float[] g = new float[19];
    Arrays.fill(g, 3f);
    float[] b = new float[19];
    Arrays.fill(b, -1f);
    float[] s = c.clone();
    float[] v = c.clone();
    ScalarOps.layerNorm(s, 0, 19, g, b, 1e-5f);
    VectorOps.layerNorm(v, 0, 19, g, b, 1e-5f);
    assertArrayEquals(b, s);
    assertArrayEquals(b, v);
  }

  @Test
  void sumExpAndFirstAboveMatchTheScalarTwinsAndTheSparseRow() {
    SplittableRandom r = new SplittableRandom(26);
    for (int n : LENGTHS) {
      float[] x = random(r, n + 3, 20);
      float m = ScalarOps.max(x, 1, n);
      float sum = ScalarOps.sumExp(x, 1, n, m, 0f, 0f);
      assertEquals(Float.floatToRawIntBits(sum), Float.floatToRawIntBits(VectorOps.sumExp(x, 1, n, m, 0f, 0f)), "n=" + n);
      // it is log-softmax's normaliser
      float[] y = x.clone();
      ScalarOps.logSoftmax(y, 1, n);
      float logSum = (float) Math.log(sum);
      for (int i = 0; i < n; i++) {
        assertEquals(Float.floatToRawIntBits((x[1 + i] - m) - logSum), Float.floatToRawIntBits(y[1 + i]), "n=" + n);
      }
      float m2 = -0.37f;
      float two = ScalarOps.sumExp(x, 1, n, m, logSum, m2);
      assertEquals(Float.floatToRawIntBits(two), Float.floatToRawIntBits(VectorOps.sumExp(x, 1, n, m, logSum, m2)));
      // a row given at some ids only (−∞ elsewhere): the sum over the whole row, bit for bit
      float[] full = new float[n];
      Arrays.fill(full, Float.NEGATIVE_INFINITY);
      int[] ids = new int[n];
      float[] compact = new float[n];
      int k = 0;
      for (int i = 0; i < n; i++) {
        if (i == n - 1 || r.nextInt(3) == 0) {
          ids[k] = i;
          compact[k++] = x[1 + i];
          full[i] = x[1 + i];
        }
      }
      float fm = ScalarOps.max(full, 0, n);
      assertEquals(Float.floatToRawIntBits(ScalarOps.sumExp(full, 0, n, fm, logSum, m2)),
          Float.floatToRawIntBits(ScalarOps.sumExpAt(compact, 0, ids, k, n, fm, logSum, m2)), "sparse n=" + n);
      assertEquals(Float.floatToRawIntBits(VectorOps.sumExp(full, 0, n, fm, 0f, 0f)),
          Float.floatToRawIntBits(ScalarOps.sumExpAt(compact, 0, ids, k, n, fm, 0f, 0f)), "sparse n=" + n);
      // firstAbove: every start, thresholds at and around the scores
      for (int t = 0; t < 8; t++) {
        float base = t % 2 == 0 ? 0f : -1.5f;
        float thr = base + ((((x[1 + r.nextInt(n)] - m) - logSum) - m2) - 0.25f);
        thr = t % 3 == 0 ? Math.nextDown(thr) : thr;
        for (int from = 0; from <= n; from += Math.max(1, n / 5)) {
          int want = n;
          for (int i = from; i < n; i++) {
            if (base + ((((x[1 + i] - m) - logSum) - m2) - 0.25f) > thr) {
              want = i;
              break;
            }
          }
          assertEquals(want, ScalarOps.firstAbove(x, 1, from, n, m, logSum, m2, 0.25f, base, thr));
          assertEquals(want, VectorOps.firstAbove(x, 1, from, n, m, logSum, m2, 0.25f, base, thr), "n=" + n);
        }
      }
      float[] nan = x.clone();
      nan[1 + n / 2] = Float.NaN;
      assertEquals(ScalarOps.firstAbove(nan, 1, n / 2, n, 0f, 0f, 0f, 0f, 0f, -100f),
          VectorOps.firstAbove(nan, 1, n / 2, n, 0f, 0f, 0f, 0f, 0f, -100f), "NaN is never above");
    }
  }
}
