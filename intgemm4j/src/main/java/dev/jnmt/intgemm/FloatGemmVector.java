package dev.jnmt.intgemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels behind {@link FloatGemm}; loaded only when {@link VectorWidth#current()} is not scalar.
 *
 * <p>A panel is two vectors wide ({@link #PANEL} = 2·lanes columns). Register blocks keep eight accumulators
 * (AVX2 has sixteen registers; the notes measured a 4×3-vector block spilling and halving speed): 4 rows × 1
 * panel when at least four rows remain, else 2 rows × 2 panels, else 1 row × 4 panels, so even M = 1 keeps
 * eight independent FMA chains in flight. Every accumulator lane runs {@code acc = fma(a, b, acc)} over k in
 * order, which is what {@link FloatGemmScalar} does, so results are bit-identical to it. Kernels are separate
 * small methods to stay under C2's inlining and node budgets.
 */
final class FloatGemmVector {
  static final VectorSpecies<Float> F =
      VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.current().bits()));
  static final int L = F.length();
  static final int PANEL = 2 * L;

  private FloatGemmVector() {}

  static void multiply(
      float[] a, int m, float[] bp, int k, int n, float[] c, float[] bias, boolean relu, int p0, int p1) {
    int panelSize = k * PANEL;
    int m4 = m & ~3;
    for (int p = p0; p < p1; p++) {
      for (int r = 0; r < m4; r += 4) {
        rows4(a, r, k, bp, p * panelSize, c, n, p * PANEL, bias, relu);
      }
    }
    int r = m4;
    if (m - r >= 2) {
      int p = p0;
      for (; p + 2 <= p1; p += 2) {
        rows2panels2(a, r, k, bp, p * panelSize, panelSize, c, n, p * PANEL, bias, relu);
      }
      if (p < p1) {
        rows2(a, r, k, bp, p * panelSize, c, n, p * PANEL, bias, relu);
      }
      r += 2;
    }
    if (m - r == 1) {
      int p = p0;
      for (; p + 4 <= p1; p += 4) {
        row1panels4(a, r, k, bp, p * panelSize, panelSize, c, n, p * PANEL, bias, relu);
      }
      for (; p < p1; p++) {
        row1(a, r, k, bp, p * panelSize, c, n, p * PANEL, bias, relu);
      }
    }
  }

  /** Rows r..r+3 × one panel starting at bp[b0] (C columns col..col+PANEL-1). */
  private static void rows4(
      float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col, float[] bias, boolean relu) {
    FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
    FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
    FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
    int a0 = r * k;
    int a1 = a0 + k;
    int a2 = a1 + k;
    int a3 = a2 + k;
    int pb = b0;
    for (int kk = 0; kk < k; kk++, pb += PANEL) {
      FloatVector b0v = FloatVector.fromArray(F, bp, pb);
      FloatVector b1v = FloatVector.fromArray(F, bp, pb + L);
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c00 = x.fma(b0v, c00);
      c01 = x.fma(b1v, c01);
      x = FloatVector.broadcast(F, a[a1 + kk]);
      c10 = x.fma(b0v, c10);
      c11 = x.fma(b1v, c11);
      x = FloatVector.broadcast(F, a[a2 + kk]);
      c20 = x.fma(b0v, c20);
      c21 = x.fma(b1v, c21);
      x = FloatVector.broadcast(F, a[a3 + kk]);
      c30 = x.fma(b0v, c30);
      c31 = x.fma(b1v, c31);
    }
    int o = r * n;
    store(c00, c, o, col, n, bias, relu);
    store(c01, c, o, col + L, n, bias, relu);
    o += n;
    store(c10, c, o, col, n, bias, relu);
    store(c11, c, o, col + L, n, bias, relu);
    o += n;
    store(c20, c, o, col, n, bias, relu);
    store(c21, c, o, col + L, n, bias, relu);
    o += n;
    store(c30, c, o, col, n, bias, relu);
    store(c31, c, o, col + L, n, bias, relu);
  }

  /** Rows r, r+1 × two consecutive panels (the second at b0 + panelSize). */
  private static void rows2panels2(
      float[] a, int r, int k, float[] bp, int b0, int panelSize, float[] c, int n, int col,
      float[] bias, boolean relu) {
    FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
    FloatVector c02 = FloatVector.zero(F), c03 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
    FloatVector c12 = FloatVector.zero(F), c13 = FloatVector.zero(F);
    int a0 = r * k;
    int a1 = a0 + k;
    int pb = b0;
    for (int kk = 0; kk < k; kk++, pb += PANEL) {
      FloatVector b0v = FloatVector.fromArray(F, bp, pb);
      FloatVector b1v = FloatVector.fromArray(F, bp, pb + L);
      FloatVector b2v = FloatVector.fromArray(F, bp, pb + panelSize);
      FloatVector b3v = FloatVector.fromArray(F, bp, pb + panelSize + L);
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c00 = x.fma(b0v, c00);
      c01 = x.fma(b1v, c01);
      c02 = x.fma(b2v, c02);
      c03 = x.fma(b3v, c03);
      x = FloatVector.broadcast(F, a[a1 + kk]);
      c10 = x.fma(b0v, c10);
      c11 = x.fma(b1v, c11);
      c12 = x.fma(b2v, c12);
      c13 = x.fma(b3v, c13);
    }
    int o = r * n;
    store(c00, c, o, col, n, bias, relu);
    store(c01, c, o, col + L, n, bias, relu);
    store(c02, c, o, col + 2 * L, n, bias, relu);
    store(c03, c, o, col + 3 * L, n, bias, relu);
    o += n;
    store(c10, c, o, col, n, bias, relu);
    store(c11, c, o, col + L, n, bias, relu);
    store(c12, c, o, col + 2 * L, n, bias, relu);
    store(c13, c, o, col + 3 * L, n, bias, relu);
  }

  /** Rows r, r+1 × one panel. */
  private static void rows2(
      float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col, float[] bias, boolean relu) {
    FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
    int a0 = r * k;
    int a1 = a0 + k;
    int pb = b0;
    for (int kk = 0; kk < k; kk++, pb += PANEL) {
      FloatVector b0v = FloatVector.fromArray(F, bp, pb);
      FloatVector b1v = FloatVector.fromArray(F, bp, pb + L);
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c00 = x.fma(b0v, c00);
      c01 = x.fma(b1v, c01);
      x = FloatVector.broadcast(F, a[a1 + kk]);
      c10 = x.fma(b0v, c10);
      c11 = x.fma(b1v, c11);
    }
    int o = r * n;
    store(c00, c, o, col, n, bias, relu);
    store(c01, c, o, col + L, n, bias, relu);
    o += n;
    store(c10, c, o, col, n, bias, relu);
    store(c11, c, o, col + L, n, bias, relu);
  }

  /** Row r × four consecutive panels: the GEMV case, eight independent FMA chains. */
  private static void row1panels4(
      float[] a, int r, int k, float[] bp, int b0, int panelSize, float[] c, int n, int col,
      float[] bias, boolean relu) {
    FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F);
    FloatVector c2 = FloatVector.zero(F), c3 = FloatVector.zero(F);
    FloatVector c4 = FloatVector.zero(F), c5 = FloatVector.zero(F);
    FloatVector c6 = FloatVector.zero(F), c7 = FloatVector.zero(F);
    int a0 = r * k;
    int pb = b0;
    int s1 = panelSize;
    int s2 = 2 * panelSize;
    int s3 = 3 * panelSize;
    for (int kk = 0; kk < k; kk++, pb += PANEL) {
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c0 = x.fma(FloatVector.fromArray(F, bp, pb), c0);
      c1 = x.fma(FloatVector.fromArray(F, bp, pb + L), c1);
      c2 = x.fma(FloatVector.fromArray(F, bp, pb + s1), c2);
      c3 = x.fma(FloatVector.fromArray(F, bp, pb + s1 + L), c3);
      c4 = x.fma(FloatVector.fromArray(F, bp, pb + s2), c4);
      c5 = x.fma(FloatVector.fromArray(F, bp, pb + s2 + L), c5);
      c6 = x.fma(FloatVector.fromArray(F, bp, pb + s3), c6);
      c7 = x.fma(FloatVector.fromArray(F, bp, pb + s3 + L), c7);
    }
    int o = r * n;
    store(c0, c, o, col, n, bias, relu);
    store(c1, c, o, col + L, n, bias, relu);
    store(c2, c, o, col + 2 * L, n, bias, relu);
    store(c3, c, o, col + 3 * L, n, bias, relu);
    store(c4, c, o, col + 4 * L, n, bias, relu);
    store(c5, c, o, col + 5 * L, n, bias, relu);
    store(c6, c, o, col + 6 * L, n, bias, relu);
    store(c7, c, o, col + 7 * L, n, bias, relu);
  }

  /** Row r × one panel. */
  private static void row1(
      float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col, float[] bias, boolean relu) {
    FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F);
    int a0 = r * k;
    int pb = b0;
    for (int kk = 0; kk < k; kk++, pb += PANEL) {
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c0 = x.fma(FloatVector.fromArray(F, bp, pb), c0);
      c1 = x.fma(FloatVector.fromArray(F, bp, pb + L), c1);
    }
    int o = r * n;
    store(c0, c, o, col, n, bias, relu);
    store(c1, c, o, col + L, n, bias, relu);
  }

  /**
   * Applies bias and ReLU to one accumulator vector and writes C[row][col..col+L-1] (row start at cRow), only
   * the columns below n: the padding columns of the last panel are dropped here.
   */
  private static void store(
      FloatVector v, float[] c, int cRow, int col, int n, float[] bias, boolean relu) {
    if (col + L <= n) {
      if (bias != null) {
        v = v.add(FloatVector.fromArray(F, bias, col));
      }
      if (relu) {
        v = relu(v);
      }
      v.intoArray(c, cRow + col);
    } else if (col < n) {
      VectorMask<Float> inRange = F.indexInRange(col, n);
      if (bias != null) {
        v = v.add(FloatVector.fromArray(F, bias, col, inRange));
      }
      if (relu) {
        v = relu(v);
      }
      v.intoArray(c, cRow + col, inRange);
    }
  }

  /** {@code x > 0 ? x : 0} per lane, as {@link FloatGemmScalar} and the integer epilogues (NaN and -0.0 → +0.0). */
  private static FloatVector relu(FloatVector v) {
    return FloatVector.zero(F).blend(v, v.compare(VectorOperators.GT, 0f));
  }

  /** C = A·B over views; one row of C at a time, four vectors of columns per block. */
  static void matmul(FloatMatrix a, FloatMatrix b, FloatMatrix c) {
    float[] ad = a.data();
    float[] bd = b.data();
    float[] cd = c.data();
    int k = a.cols();
    int n = b.cols();
    int bs = b.stride();
    for (int i = 0; i < a.rows(); i++) {
      int aRow = a.offset() + i * a.stride();
      int cRow = c.offset() + i * c.stride();
      int j = 0;
      for (; j + 4 * L <= n; j += 4 * L) {
        FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F);
        FloatVector c2 = FloatVector.zero(F), c3 = FloatVector.zero(F);
        int pb = b.offset() + j;
        for (int kk = 0; kk < k; kk++, pb += bs) {
          FloatVector x = FloatVector.broadcast(F, ad[aRow + kk]);
          c0 = x.fma(FloatVector.fromArray(F, bd, pb), c0);
          c1 = x.fma(FloatVector.fromArray(F, bd, pb + L), c1);
          c2 = x.fma(FloatVector.fromArray(F, bd, pb + 2 * L), c2);
          c3 = x.fma(FloatVector.fromArray(F, bd, pb + 3 * L), c3);
        }
        c0.intoArray(cd, cRow + j);
        c1.intoArray(cd, cRow + j + L);
        c2.intoArray(cd, cRow + j + 2 * L);
        c3.intoArray(cd, cRow + j + 3 * L);
      }
      for (; j < n; j += L) {
        VectorMask<Float> inRange = F.indexInRange(j, n);
        FloatVector c0 = FloatVector.zero(F);
        int pb = b.offset() + j;
        for (int kk = 0; kk < k; kk++, pb += bs) {
          FloatVector x = FloatVector.broadcast(F, ad[aRow + kk]);
          c0 = x.fma(FloatVector.fromArray(F, bd, pb, inRange), c0);
        }
        c0.intoArray(cd, cRow + j, inRange);
      }
    }
  }

  /** C = scale · A·Bᵀ over views; four rows of B per block, k in vector steps, then a lane reduction. */
  static void matmulTransB(FloatMatrix a, FloatMatrix b, float scale, FloatMatrix c) {
    float[] ad = a.data();
    float[] bd = b.data();
    float[] cd = c.data();
    int k = a.cols();
    int n = b.rows();
    int bs = b.stride();
    int kFull = k - k % L;
    VectorMask<Float> tail = F.indexInRange(kFull, k);
    for (int i = 0; i < a.rows(); i++) {
      int aRow = a.offset() + i * a.stride();
      int cRow = c.offset() + i * c.stride();
      int j = 0;
      for (; j + 4 <= n; j += 4) {
        int b0 = b.offset() + j * bs;
        int b1 = b0 + bs;
        int b2 = b1 + bs;
        int b3 = b2 + bs;
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
        FloatVector s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
        for (int kk = 0; kk < kFull; kk += L) {
          FloatVector x = FloatVector.fromArray(F, ad, aRow + kk);
          s0 = x.fma(FloatVector.fromArray(F, bd, b0 + kk), s0);
          s1 = x.fma(FloatVector.fromArray(F, bd, b1 + kk), s1);
          s2 = x.fma(FloatVector.fromArray(F, bd, b2 + kk), s2);
          s3 = x.fma(FloatVector.fromArray(F, bd, b3 + kk), s3);
        }
        if (kFull < k) {
          FloatVector x = FloatVector.fromArray(F, ad, aRow + kFull, tail);
          s0 = x.fma(FloatVector.fromArray(F, bd, b0 + kFull, tail), s0);
          s1 = x.fma(FloatVector.fromArray(F, bd, b1 + kFull, tail), s1);
          s2 = x.fma(FloatVector.fromArray(F, bd, b2 + kFull, tail), s2);
          s3 = x.fma(FloatVector.fromArray(F, bd, b3 + kFull, tail), s3);
        }
        cd[cRow + j] = s0.reduceLanes(VectorOperators.ADD) * scale;
        cd[cRow + j + 1] = s1.reduceLanes(VectorOperators.ADD) * scale;
        cd[cRow + j + 2] = s2.reduceLanes(VectorOperators.ADD) * scale;
        cd[cRow + j + 3] = s3.reduceLanes(VectorOperators.ADD) * scale;
      }
      for (; j < n; j++) {
        int b0 = b.offset() + j * bs;
        FloatVector s0 = FloatVector.zero(F);
        for (int kk = 0; kk < kFull; kk += L) {
          s0 = FloatVector.fromArray(F, ad, aRow + kk).fma(FloatVector.fromArray(F, bd, b0 + kk), s0);
        }
        if (kFull < k) {
          s0 =
              FloatVector.fromArray(F, ad, aRow + kFull, tail)
                  .fma(FloatVector.fromArray(F, bd, b0 + kFull, tail), s0);
        }
        cd[cRow + j] = s0.reduceLanes(VectorOperators.ADD) * scale;
      }
    }
  }
}
