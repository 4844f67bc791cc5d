package dev.jnmt.intgemm;

/**
 * Scalar twin of {@link FloatGemmVector}: the reference the vector kernels are tested against, and the
 * production path when {@link VectorWidth#current()} is {@link VectorWidth#SCALAR}. Every C element is the
 * in-order {@link Math#fma} sum over k from +0.0, which is exactly what the vector kernels compute lane by lane.
 */
final class FloatGemmScalar {
  private FloatGemmScalar() {}

  /**
   * C rows 0..m-1, panels p0..p1-1 of a prepared B with panel width {@code pw}; see {@link FloatGemm#multiply}.
   * C itself holds the running sums, which is exact because each partial sum is a float either way.
   */
  static void multiply(
      float[] a, int m, float[] bp, int k, int n, int pw, float[] c, float[] bias, boolean relu,
      int p0, int p1) {
    for (int p = p0; p < p1; p++) {
      int col0 = p * pw;
      int width = Math.min(pw, n - col0);
      int panel = p * k * pw;
      for (int i = 0; i < m; i++) {
        int cRow = i * n + col0;
        int aRow = i * k;
        for (int j = 0; j < width; j++) {
          c[cRow + j] = 0f;
        }
        for (int kk = 0; kk < k; kk++) {
          float x = a[aRow + kk];
          int bRow = panel + kk * pw;
          for (int j = 0; j < width; j++) {
            c[cRow + j] = Math.fma(x, bp[bRow + j], c[cRow + j]);
          }
        }
        finish(c, cRow, bias, col0, width, relu);
      }
    }
  }

  private static void finish(float[] c, int cRow, float[] bias, int col0, int width, boolean relu) {
    for (int j = 0; j < width; j++) {
      float v = c[cRow + j];
      if (bias != null) {
        v += bias[col0 + j];
      }
      if (relu) {
        v = v > 0f ? v : 0f;
      }
      c[cRow + j] = v;
    }
  }

  /** C = A·B with in-order fma sums; see {@link FloatGemm#matmul}. */
  static void matmul(FloatMatrix a, FloatMatrix b, FloatMatrix c) {
    float[] ad = a.data();
    float[] bd = b.data();
    float[] cd = c.data();
    int k = a.cols();
    int n = b.cols();
    for (int i = 0; i < a.rows(); i++) {
      int cRow = c.offset() + i * c.stride();
      int aRow = a.offset() + i * a.stride();
      for (int j = 0; j < n; j++) {
        cd[cRow + j] = 0f;
      }
      for (int kk = 0; kk < k; kk++) {
        float x = ad[aRow + kk];
        int bRow = b.offset() + kk * b.stride();
        for (int j = 0; j < n; j++) {
          cd[cRow + j] = Math.fma(x, bd[bRow + j], cd[cRow + j]);
        }
      }
    }
  }

  /** Partial sums of each matmulTransB dot product (the float lanes of 512 bits). */
  static final int LOGICAL_LANES = 16;

  /**
   * C = scale · A·Bᵀ; each dot product as 16 fma chains (k mod 16) over the first k − k mod 16 terms, added
   * in lane order, then the remaining terms in order; see {@link FloatGemm#matmulTransB}.
   */
  static void matmulTransB(FloatMatrix a, FloatMatrix b, float scale, FloatMatrix c) {
    float[] ad = a.data();
    float[] bd = b.data();
    float[] cd = c.data();
    int k = a.cols();
    int kFull = k - k % LOGICAL_LANES;
    float[] p = new float[LOGICAL_LANES];
    for (int i = 0; i < a.rows(); i++) {
      int aRow = a.offset() + i * a.stride();
      int cRow = c.offset() + i * c.stride();
      for (int j = 0; j < b.rows(); j++) {
        int bRow = b.offset() + j * b.stride();
        java.util.Arrays.fill(p, 0f);
        int kk = 0;
        for (; kk < kFull; kk += LOGICAL_LANES) {
          for (int l = 0; l < LOGICAL_LANES; l++) {
            p[l] = Math.fma(ad[aRow + kk + l], bd[bRow + kk + l], p[l]);
          }
        }
        float s = p[0];
        for (int l = 1; l < LOGICAL_LANES; l++) {
          s += p[l];
        }
        for (; kk < k; kk++) {
          s = Math.fma(ad[aRow + kk], bd[bRow + kk], s);
        }
        cd[cRow + j] = s * scale;
      }
    }
  }
}
