package dev.jnmt.intgemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * FloatGemm.matmul / matmulTransB on strided views (attention head slices) against the scalar twin and a
 * float64 reference; the cells around each output view must stay untouched.
 */
class FloatGemmMatmulTest {
  private static final float GUARD = -12345f;

  /** A [rows × cols] view with random padding before, between and after the rows. */
  private static FloatMatrix view(SplittableRandom rnd, int rows, int cols, boolean randomFill) {
    int offset = rnd.nextInt(5);
    int stride = cols + rnd.nextInt(4);
    float[] data = new float[offset + rows * stride + 3];
    if (randomFill) {
      data = FloatGemmTest.random(rnd, data.length, 1);
    } else {
      Arrays.fill(data, GUARD);
    }
    return new FloatMatrix(data, offset, rows, cols, stride);
  }

  private static FloatMatrix copyOf(FloatMatrix v) {
    return new FloatMatrix(v.data().clone(), v.offset(), v.rows(), v.cols(), v.stride());
  }

  private static void assertOnlyViewWritten(FloatMatrix c) {
    float[] d = c.data();
    for (int idx = 0; idx < d.length; idx++) {
      int rel = idx - c.offset();
      boolean inside = rel >= 0 && rel / c.stride() < c.rows() && rel % c.stride() < c.cols();
      if (!inside && d[idx] != GUARD) {
        fail("wrote outside the C view at index " + idx);
      }
    }
  }

  private static void assertNear(double exact, double magnitude, int k, float got, String what) {
    double u = Math.ulp(1.0f) / 2;
    double gamma = (k + 2) * u / (1 - (k + 2) * u);
    double tol = gamma * magnitude + Double.MIN_NORMAL;
    if (!(Math.abs(got - exact) <= tol)) {
      fail(what + ": " + got + " vs float64 " + exact + " (tol " + tol + ")");
    }
  }

  @Test
  void matmulMatchesScalarTwinBitForBitAndReference() {
    SplittableRandom rnd = new SplittableRandom(11);
    for (int m : new int[] {1, 2, 5, 17}) {
      for (int k : new int[] {1, 3, 8, 31, 64, 100}) {
        for (int n : new int[] {1, 4, 7, 8, 9, 31, 32, 33, 64, 70}) {
          FloatMatrix a = view(rnd, m, k, true);
          FloatMatrix b = view(rnd, k, n, true);
          FloatMatrix c = view(rnd, m, n, false);
          FloatMatrix twin = copyOf(c);
          FloatGemm.matmul(a, b, c);
          FloatGemmScalar.matmul(a, b, twin);
          String what = "matmul " + m + "x" + k + "x" + n;
          for (int idx = 0; idx < c.data().length; idx++) {
            assertEquals(
                Float.floatToIntBits(twin.data()[idx]), Float.floatToIntBits(c.data()[idx]),
                what + " index " + idx);
          }
          assertOnlyViewWritten(c);
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double exact = 0;
              double mag = 0;
              for (int kk = 0; kk < k; kk++) {
                double p = (double) a.get(i, kk) * b.get(kk, j);
                exact += p;
                mag += Math.abs(p);
              }
              assertNear(exact, mag, k, c.get(i, j), what + " C[" + i + "][" + j + "]");
            }
          }
        }
      }
    }
  }

  @Test
  void matmulTransBMatchesReferenceAndScalarTwin() {
    SplittableRandom rnd = new SplittableRandom(12);
    for (int m : new int[] {1, 3, 8}) {
      for (int k : new int[] {1, 3, 8, 15, 16, 17, 31, 33, 64, 65}) {
        for (int n : new int[] {1, 3, 4, 5, 9, 40}) {
          float scale = (float) (1 / Math.sqrt(k));
          FloatMatrix a = view(rnd, m, k, true);
          FloatMatrix b = view(rnd, n, k, true);
          FloatMatrix c = view(rnd, m, n, false);
          FloatMatrix twin = copyOf(c);
          FloatGemm.matmulTransB(a, b, scale, c);
          FloatGemmScalar.matmulTransB(a, b, scale, twin);
          assertOnlyViewWritten(c);
          String what = "matmulTransB " + m + "x" + k + "x" + n;
          for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
              double exact = 0;
              double mag = 0;
              for (int kk = 0; kk < k; kk++) {
                double p = (double) a.get(i, kk) * b.get(j, kk);
                exact += p;
                mag += Math.abs(p);
              }
              assertNear(exact * scale, mag * Math.abs(scale), k, c.get(i, j), what);
              assertNear(exact * scale, mag * Math.abs(scale), k, twin.get(i, j), what + " (twin)");
              assertEquals(
                  Float.floatToRawIntBits(twin.get(i, j)),
                  Float.floatToRawIntBits(c.get(i, j)),
                  what + " [" + i + "][" + j + "]: the scalar twin's bits at every width");
            }
          }
        }
      }
    }
  }

  @Test
  void attentionHeadSlicesOfOneProjection() {
    // Q·Kᵀ and P·V per head on column slices of [len × dModel] arrays, as the decoder calls them.
    SplittableRandom rnd = new SplittableRandom(13);
    int len = 11;
    int heads = 4;
    int dHead = 12;
    int dModel = heads * dHead;
    float[] q = FloatGemmTest.random(rnd, len * dModel, 1);
    float[] kv = FloatGemmTest.random(rnd, len * dModel, 1);
    float[] out = new float[len * dModel];
    float[] scores = new float[len * len];
    for (int h = 0; h < heads; h++) {
      FloatMatrix qh = new FloatMatrix(q, h * dHead, len, dHead, dModel);
      FloatMatrix kh = new FloatMatrix(kv, h * dHead, len, dHead, dModel);
      FloatGemm.matmulTransB(qh, kh, 0.5f, FloatMatrix.of(scores, len, len));
      FloatGemm.matmul(FloatMatrix.of(scores, len, len), kh, new FloatMatrix(out, h * dHead, len, dHead, dModel));
    }
    for (int h = 0; h < heads; h++) {
      for (int i = 0; i < len; i++) {
        for (int d = 0; d < dHead; d++) {
          double exact = 0;
          double mag = 0;
          for (int t = 0; t < len; t++) {
            double s = 0;
            for (int e = 0; e < dHead; e++) {
              s += (double) q[i * dModel + h * dHead + e] * kv[t * dModel + h * dHead + e];
            }
            s *= 0.5;
            exact += s * kv[t * dModel + h * dHead + d];
            mag += Math.abs(s * kv[t * dModel + h * dHead + d]);
          }
          assertTrue(
              Math.abs(out[i * dModel + h * dHead + d] - exact) <= 1e-5 * (1 + mag),
              "head " + h + " row " + i + " dim " + d);
        }
      }
    }
  }

  @Test
  void shapeMismatchesAreRejected() {
    FloatMatrix a = FloatMatrix.of(new float[6], 2, 3);
    FloatMatrix b = FloatMatrix.of(new float[8], 4, 2);
    var e = assertThrows(
        IllegalArgumentException.class, () -> FloatGemm.matmul(a, b, FloatMatrix.of(new float[4], 2, 2)));
    assertTrue(e.getMessage().contains("A [2 × 3]"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> FloatGemm.matmulTransB(a, b, 1f, FloatMatrix.of(new float[8], 2, 4)));
    var v = assertThrows(IllegalArgumentException.class, () -> new FloatMatrix(new float[10], 2, 3, 3, 4));
    assertTrue(v.getMessage().contains("needs 13"), v.getMessage());
  }
}
