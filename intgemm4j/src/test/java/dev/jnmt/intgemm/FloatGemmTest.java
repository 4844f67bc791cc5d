package dev.jnmt.intgemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * FloatGemm at the JVM's vector width (Surefire runs this class once per width) against its scalar twin,
 * which must agree bit for bit, and against a float64 reference within a float summation error bound.
 */
class FloatGemmTest {
  /** Every M to 20 and a few beyond: each count of rows left over after the 8- and 4-row blocks. */
  private static final int[] SMALL_M = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 23, 31, 33
  };

  private static final int[] SMALL_K = {1, 2, 7, 16, 33};

  /**
   * Partial panels and 1..6 whole panels at each width (panels of 16, 32 or 64 columns at 128, 256, 512
   * bits; groups of four panels), with and without a partial last panel.
   */
  private static final int[] SMALL_N = {
    1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 64, 65, 96, 100, 128, 129, 160, 192, 200, 257, 320, 385
  };

  static float[] random(SplittableRandom rnd, int size, double range) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) ((rnd.nextDouble() * 2 - 1) * range);
    }
    return x;
  }

  static FloatEpilogue[] epilogues(float[] bias, int cSize) {
    return new FloatEpilogue[] {
      new FloatEpilogue.Write(new float[cSize]),
      new FloatEpilogue.Relu(new float[cSize]),
      new FloatEpilogue.AddBias(bias, new float[cSize]),
      new FloatEpilogue.AddBiasRelu(bias, new float[cSize])
    };
  }

  /** Runs the scalar twin on the same prepared B into a fresh array. */
  static float[] scalar(float[] a, int m, FloatPreparedB b, FloatEpilogue e) {
    float[] c = new float[m * b.cols()];
    FloatGemmScalar.multiply(
        a, m, b.data(), b.rows(), b.cols(), b.panelWidth(), c, FloatGemm.biasOf(e),
        FloatGemm.reluOf(e), 0, b.panels());
    return c;
  }

  static void assertBitIdentical(float[] expected, float[] actual, int size, String what) {
    for (int i = 0; i < size; i++) {
      if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
        fail(what + ": element " + i + " is " + actual[i] + ", scalar twin gives " + expected[i]);
      }
    }
  }

  /**
   * Checks c against the float64 product within the bound for any order of n float operations,
   * |error| ≤ γ(k+1)·(Σ|a||b| + |bias|), γ(n) = n·u/(1-n·u), u = 2^-24, plus the ReLU clamp.
   */
  static void assertNearReference(
      float[] a, int m, float[] b, int k, int n, FloatEpilogue e, float[] c, String what) {
    float[] bias = FloatGemm.biasOf(e);
    boolean relu = FloatGemm.reluOf(e);
    double u = Math.ulp(1.0f) / 2;
    double gamma = (k + 1) * u / (1 - (k + 1) * u);
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double exact = 0;
        double magnitude = 0;
        for (int kk = 0; kk < k; kk++) {
          double p = (double) a[i * k + kk] * b[kk * n + j];
          exact += p;
          magnitude += Math.abs(p);
        }
        if (bias != null) {
          exact += bias[j];
          magnitude += Math.abs(bias[j]);
        }
        if (relu) {
          exact = Math.max(exact, 0);
        }
        double got = c[i * n + j];
        double tol = gamma * magnitude + Double.MIN_NORMAL;
        if (!(Math.abs(got - exact) <= tol)) {
          fail(what + ": C[" + i + "][" + j + "] = " + got + ", float64 reference " + exact + ", tol " + tol);
        }
        if (relu && !(got >= 0)) {
          fail(what + ": ReLU output C[" + i + "][" + j + "] = " + got);
        }
      }
    }
  }

  @Test
  void prepareBAndPrepareBTransposedPackTheSameMatrix() {
    SplittableRandom rnd = new SplittableRandom(1);
    for (int k : new int[] {1, 5, 64}) {
      for (int n : new int[] {1, 7, 16, 17, 40}) {
        float[] b = random(rnd, k * n, 1);
        float[] bt = new float[n * k];
        for (int kk = 0; kk < k; kk++) {
          for (int j = 0; j < n; j++) {
            bt[j * k + kk] = b[kk * n + j];
          }
        }
        FloatPreparedB p = FloatGemm.prepareB(b, k, n);
        FloatPreparedB q = FloatGemm.prepareBTransposed(bt, k, n);
        assertEquals(k, p.rows());
        assertEquals(n, p.cols());
        assertEquals(FloatGemm.panelWidth(), p.panelWidth());
        assertEquals((n + p.panelWidth() - 1) / p.panelWidth() * p.panelWidth() * k, p.data().length);
        for (int kk = 0; kk < k; kk++) {
          for (int j = 0; j < p.panels() * p.panelWidth(); j++) {
            float expected = j < n ? b[kk * n + j] : 0f;
            assertEquals(expected, p.get(kk, j), "prepareB " + k + "x" + n + " at " + kk + "," + j);
            assertEquals(expected, q.get(kk, j), "prepareBTransposed " + k + "x" + n + " at " + kk + "," + j);
          }
        }
      }
    }
  }

  @Test
  void smallRaggedShapesMatchScalarTwinAndReference() {
    SplittableRandom rnd = new SplittableRandom(2);
    for (int k : SMALL_K) {
      for (int n : SMALL_N) {
        float[] b = random(rnd, k * n, 1);
        float[] bias = random(rnd, n, 1);
        FloatPreparedB pb = FloatGemm.prepareB(b, k, n);
        for (int m : SMALL_M) {
          float[] a = random(rnd, m * k, 1);
          for (FloatEpilogue e : epilogues(bias, m * n)) {
            String what = m + "x" + k + "x" + n + " " + e.getClass().getSimpleName();
            FloatGemm.multiply(a, m, pb, e);
            assertBitIdentical(scalar(a, m, pb, e), e.c(), m * n, what);
            assertNearReference(a, m, b, k, n, e, e.c(), what);
          }
        }
      }
    }
  }

  @Test
  void largeShapesMatchScalarTwinAndReference() {
    SplittableRandom rnd = new SplittableRandom(3);
    int[][] shapes = {
      {1, 512, 512}, {5, 2048, 72}, {8, 256, 2000}, {33, 1024, 129}, {130, 64, 250}, {37, 256, 1000},
      {15, 1024, 300}
    };
    for (int[] s : shapes) {
      int m = s[0];
      int k = s[1];
      int n = s[2];
      float[] a = random(rnd, m * k, 4);
      float[] b = random(rnd, k * n, 0.25);
      float[] bias = random(rnd, n, 2);
      FloatPreparedB pb = FloatGemm.prepareB(b, k, n);
      FloatEpilogue e = new FloatEpilogue.AddBiasRelu(bias, new float[m * n]);
      FloatGemm.multiply(a, m, pb, e);
      String what = m + "x" + k + "x" + n;
      assertBitIdentical(scalar(a, m, pb, e), e.c(), m * n, what);
      assertNearReference(a, m, b, k, n, e, e.c(), what);
    }
  }

  @Test
  void rmsErrorOfLongSumsStaysAtFloatRounding() {
    // The bound above is loose; this checks the typical error of a K = 4096 sum is float rounding, not more.
    SplittableRandom rnd = new SplittableRandom(4);
    int m = 6;
    int k = 4096;
    int n = 40;
    float[] a = random(rnd, m * k, 1);
    float[] b = random(rnd, k * n, 1);
    float[] c = new float[m * n];
    FloatGemm.multiply(a, m, FloatGemm.prepareB(b, k, n), new FloatEpilogue.Write(c));
    double sq = 0;
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double exact = 0;
        for (int kk = 0; kk < k; kk++) {
          exact += (double) a[i * k + kk] * b[kk * n + j];
        }
        sq += (c[i * n + j] - exact) * (c[i * n + j] - exact);
      }
    }
    double rms = Math.sqrt(sq / (m * n));
    // |C| ~ sqrt(K/9) ≈ 21; per-step rounding ≈ 21·2^-24, random walk over K steps: ≈ 8e-5.
    assertTrue(rms < 1e-4, "rms error " + rms);
  }

  @Test
  void specialValuesPropagateLikeTheScalarTwin() {
    SplittableRandom rnd = new SplittableRandom(5);
    int m = 7;
    int k = 19;
    int n = 37;
    float[] a = random(rnd, m * k, 1);
    float[] b = random(rnd, k * n, 1);
    a[0] = Float.NaN; // row 0 all NaN
    a[k + 3] = Float.POSITIVE_INFINITY; // row 1: ±Inf, NaN where B is 0
    b[3 * n + 5] = 0f;
    a[2 * k] = 3e38f; // row 2 overflows for large b
    b[2] = 3e38f;
    a[5 * k + 1] = -0f;
    b[n + 9] = Float.NEGATIVE_INFINITY; // column 9: -Inf·(-0) = NaN in row 5, ±Inf elsewhere
    float[] bias = random(rnd, n, 1);
    bias[4] = Float.NaN;
    FloatPreparedB pb = FloatGemm.prepareB(b, k, n);
    for (FloatEpilogue e : epilogues(bias, m * n)) {
      FloatGemm.multiply(a, m, pb, e);
      assertBitIdentical(scalar(a, m, pb, e), e.c(), m * n, "special " + e.getClass().getSimpleName());
      float[] c = e.c();
      if (FloatGemm.reluOf(e)) {
        // ReLU is x > 0 ? x : 0, as intgemm's max_ps(x, 0): NaN becomes 0.
        assertEquals(0f, c[0]);
        assertEquals(0f, c[n + 5]);
        assertEquals(0f, c[5 * n + 9]);
        continue;
      }
      assertTrue(Float.isNaN(c[0]) && Float.isNaN(c[n - 1]), "NaN in A propagates");
      assertTrue(Float.isNaN(c[n + 5]), "Inf·0 is NaN");
      assertTrue(Float.isInfinite(c[2 * n + 2]), "overflow gives Inf");
      assertTrue(Float.isNaN(c[5 * n + 9]), "-Inf·-0 is NaN");
      if (FloatGemm.biasOf(e) != null) {
        assertTrue(Float.isNaN(c[3 * n + 4]), "NaN bias propagates");
      }
    }
  }

  @Test
  void negativeZeroSumsStayNegativeZeroWithoutBias() {
    // A product that rounds to -0.0 gives a -0.0 sum (fma(-1e-30, 1e-30, +0.0) = -0.0): without a bias the
    // blocks must store the sum as it is (adding +0.0 for a missing bias would give +0.0), in every block.
    for (int m : new int[] {1, 3, 4, 7, 8, 9, 13}) {
      int k = 3;
      int n = 200;
      float[] a = new float[m * k];
      java.util.Arrays.fill(a, -1e-30f);
      float[] b = new float[k * n];
      java.util.Arrays.fill(b, 1e-30f);
      FloatPreparedB pb = FloatGemm.prepareB(b, k, n);
      float[] c = new float[m * n];
      FloatGemm.multiply(a, m, pb, new FloatEpilogue.Write(c));
      for (int i = 0; i < m * n; i++) {
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(c[i]), m + " rows, element " + i);
      }
    }
  }

  @Test
  void reluMapsNegativeZeroAndNegativesToZero() {
    float[] a = {1f};
    float[] b = {-0f, -1f, 2f};
    float[] c = new float[3];
    FloatGemm.multiply(a, 1, FloatGemm.prepareB(b, 1, 3), new FloatEpilogue.Relu(c));
    assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(c[0]));
    assertEquals(0f, c[1]);
    assertEquals(2f, c[2]);
  }

  @Test
  void eachRowIsIndependentOfTheOtherRows() {
    // The decoder relies on this: a sentence translates to the same bits alone or in any batch/beam.
    SplittableRandom rnd = new SplittableRandom(7);
    int k = 77;
    int n = 45;
    FloatPreparedB pb = FloatGemm.prepareB(random(rnd, k * n, 1), k, n);
    float[] bias = random(rnd, n, 1);
    int m = 11;
    float[] a = random(rnd, m * k, 1);
    float[] all = new float[m * n];
    FloatGemm.multiply(a, m, pb, new FloatEpilogue.AddBiasRelu(bias, all));
    for (int rows = 1; rows <= m; rows++) {
      for (int first = 0; first + rows <= m; first += 3) {
        float[] part = java.util.Arrays.copyOfRange(a, first * k, (first + rows) * k);
        float[] c = new float[rows * n];
        FloatGemm.multiply(part, rows, pb, new FloatEpilogue.AddBiasRelu(bias, c));
        float[] expected = java.util.Arrays.copyOfRange(all, first * n, (first + rows) * n);
        assertBitIdentical(expected, c, rows * n, "rows " + first + ".." + (first + rows - 1));
      }
    }
  }

  @Test
  void parallelMultiplyEqualsSingleThread() throws Exception {
    SplittableRandom rnd = new SplittableRandom(6);
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      for (int[] s : new int[][] {{1, 64, 1000}, {9, 100, 77}, {4, 16, 5}, {17, 32, 333}}) {
        int m = s[0];
        int k = s[1];
        int n = s[2];
        float[] a = random(rnd, m * k, 1);
        float[] bias = random(rnd, n, 1);
        FloatPreparedB pb = FloatGemm.prepareB(random(rnd, k * n, 1), k, n);
        float[] expected = new float[m * n];
        FloatGemm.multiply(a, m, pb, new FloatEpilogue.AddBias(bias, expected));
        for (int threads : new int[] {1, 2, 3, 7}) {
          float[] c = new float[m * n];
          FloatGemm.multiply(a, m, pb, new FloatEpilogue.AddBias(bias, c), pool, threads);
          assertBitIdentical(expected, c, m * n, "threads=" + threads + " " + m + "x" + k + "x" + n);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void badShapesAreRejectedWithTheShapeInTheMessage() {
    FloatPreparedB pb = FloatGemm.prepareB(new float[6], 2, 3);
    var e1 = assertThrows(
        IllegalArgumentException.class,
        () -> FloatGemm.multiply(new float[3], 2, pb, new FloatEpilogue.Write(new float[6])));
    assertTrue(e1.getMessage().contains("A [2 × 2]"), e1.getMessage());
    var e2 = assertThrows(
        IllegalArgumentException.class,
        () -> FloatGemm.multiply(new float[4], 2, pb, new FloatEpilogue.Write(new float[5])));
    assertTrue(e2.getMessage().contains("C [2 × 3]"), e2.getMessage());
    var e3 = assertThrows(
        IllegalArgumentException.class,
        () -> FloatGemm.multiply(
            new float[4], 2, pb, new FloatEpilogue.AddBias(new float[2], new float[6])));
    assertTrue(e3.getMessage().contains("bias has 2"), e3.getMessage());
    var e4 = assertThrows(IllegalArgumentException.class, () -> FloatGemm.prepareB(new float[5], 2, 3));
    assertTrue(e4.getMessage().contains("2×3"), e4.getMessage());
    assertThrows(IllegalArgumentException.class, () -> FloatGemm.prepareBTransposed(new float[0], 0, 3));
    FloatPreparedB foreign = new FloatPreparedB(new float[6 * 64], 2, 3, FloatGemm.panelWidth() * 2);
    var e5 = assertThrows(
        IllegalArgumentException.class,
        () -> FloatGemm.multiply(new float[4], 2, foreign, new FloatEpilogue.Write(new float[6])));
    assertTrue(e5.getMessage().contains("panel width"), e5.getMessage());
    float[] same = new float[6];
    assertThrows(
        IllegalArgumentException.class,
        () -> FloatGemm.multiply(same, 2, pb, new FloatEpilogue.Write(same)));
  }

  @Test
  void zeroRowsWritesNothing() {
    float[] c = {42f};
    FloatGemm.multiply(new float[0], 0, FloatGemm.prepareB(new float[4], 2, 2), new FloatEpilogue.Write(c));
    assertEquals(42f, c[0]);
  }

  @Test
  void columnReadsBackEachRowOfTheTransposeBitForBit() {
    SplittableRandom rnd = new SplittableRandom(78);
    for (int k : SMALL_K) {
      for (int n : new int[] {1, 9, 17, 33, 65}) {
        float[] bt = random(rnd, n * k, 1.0);
        bt[0] = -0f; // the sign of zero survives
        FloatPreparedB b = FloatGemm.prepareBTransposed(bt, k, n);
        float[] dst = new float[k + 3];
        for (int j = 0; j < n; j++) {
          java.util.Arrays.fill(dst, Float.NaN);
          b.column(j, dst, 2);
          assertTrue(Float.isNaN(dst[0]) && Float.isNaN(dst[1]) && Float.isNaN(dst[k + 2]), "K=" + k + " N=" + n);
          for (int kk = 0; kk < k; kk++) {
            assertEquals(
                Float.floatToRawIntBits(bt[j * k + kk]), Float.floatToRawIntBits(dst[2 + kk]),
                "K=" + k + " N=" + n + " B[" + kk + "][" + j + "]");
          }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> b.column(n, dst, 0)); // a padding column
        assertThrows(IndexOutOfBoundsException.class, () -> b.column(-1, dst, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> b.column(0, dst, 4));
      }
    }
  }

  @Test
  void selectColumnsEqualsSelectThenPrepareAndMultipliesBitForBit() {
    SplittableRandom rnd = new SplittableRandom(77);
    for (int k : SMALL_K) {
      for (int n : new int[] {1, 9, 17, 33, 65}) {
        float[] bt = random(rnd, n * k, 1.0);
        int[] cols = new int[2 * n + 1];
        for (int i = 0; i < cols.length; i++) {
          cols[i] = rnd.nextInt(n);
        }
        float[] selected = new float[cols.length * k];
        for (int i = 0; i < cols.length; i++) {
          System.arraycopy(bt, cols[i] * k, selected, i * k, k);
        }
        FloatPreparedB full = FloatGemm.prepareBTransposed(bt, k, n);
        FloatPreparedB direct = FloatGemm.prepareBTransposed(selected, k, cols.length);
        FloatPreparedB picked = FloatGemm.selectColumnsB(full, cols);
        assertEquals(cols.length, picked.cols());
        for (int kk = 0; kk < k; kk++) {
          for (int j = 0; j < picked.panels() * picked.panelWidth(); j++) {
            assertEquals(
                Float.floatToRawIntBits(direct.get(kk, j)), Float.floatToRawIntBits(picked.get(kk, j)),
                "K=" + k + " N=" + n + " B[" + kk + "][" + j + "]");
          }
        }
        int m = 5;
        float[] a = random(rnd, m * k, 1.0);
        float[] cFull = new float[m * n];
        float[] cPicked = new float[m * cols.length];
        FloatGemm.multiply(a, m, full, new FloatEpilogue.Write(cFull));
        FloatGemm.multiply(a, m, picked, new FloatEpilogue.Write(cPicked));
        for (int r = 0; r < m; r++) {
          for (int i = 0; i < cols.length; i++) {
            assertEquals(
                Float.floatToRawIntBits(cFull[r * n + cols[i]]), Float.floatToRawIntBits(cPicked[r * cols.length + i]),
                "K=" + k + " N=" + n + " row " + r + " column " + cols[i]);
          }
        }
      }
    }
    FloatPreparedB b = FloatGemm.prepareBTransposed(new float[8], 2, 4);
    assertThrows(IllegalArgumentException.class, () -> FloatGemm.selectColumnsB(b, new int[0]));
    assertThrows(IllegalArgumentException.class, () -> FloatGemm.selectColumnsB(b, new int[] {4}));
  }
}
