// Over 400 lines: the register-blocked float32 kernels (4x1, 2x2, 1x4 panels and tails) are written out one
// by one so that C2 keeps each accumulator in a register.
package dev.jnmt.intgemm;

import jdk.incubator.vector.FloatVector;
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
 * small methods to stay under C2's inlining and node budgets; they store raw sums, and {@code epilogue} adds
 * bias and ReLU to each block right after.
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
    boolean finish = bias != null || relu;
    // Full panels go through the blocked kernels; the last panel, when N is not a multiple of PANEL, goes
    // through tailRow, so the blocked kernels carry no partial-store code.
    int q1 = Math.min(p1, n / PANEL);
    int m4 = m & ~3;
    for (int p = p0; p < q1; p++) {
      for (int r = 0; r < m4; r += 4) {
        rows4(a, r, k, bp, p * panelSize, c, n, p * PANEL);
        if (finish) {
          epilogue(c, n, r, 4, p * PANEL, PANEL, bias, relu);
        }
      }
    }
    int r = m4;
    if (m - r >= 2) {
      int p = p0;
      for (; p + 2 <= q1; p += 2) {
        rows2panels2(a, r, k, bp, p * panelSize, panelSize, c, n, p * PANEL);
        if (finish) {
          epilogue(c, n, r, 2, p * PANEL, 2 * PANEL, bias, relu);
        }
      }
      if (p < q1) {
        rows2(a, r, k, bp, p * panelSize, c, n, p * PANEL);
        if (finish) {
          epilogue(c, n, r, 2, p * PANEL, PANEL, bias, relu);
        }
      }
      r += 2;
    }
    if (m - r == 1) {
      int p = p0;
      for (; p + 4 <= q1; p += 4) {
        row1panels4(a, r, k, bp, p * panelSize, panelSize, c, n, p * PANEL);
        if (finish) {
          epilogue(c, n, r, 1, p * PANEL, 4 * PANEL, bias, relu);
        }
      }
      for (; p < q1; p++) {
        row1(a, r, k, bp, p * panelSize, c, n, p * PANEL);
        if (finish) {
          epilogue(c, n, r, 1, p * PANEL, PANEL, bias, relu);
        }
      }
    }
    if (q1 < p1) {
      for (int row = 0; row < m; row++) {
        tailRow(a, row, k, bp, q1 * panelSize, c, n, q1 * PANEL);
      }
      if (finish) {
        epilogue(c, n, 0, m, q1 * PANEL, n - q1 * PANEL, bias, relu);
      }
    }
  }

  /** Rows r..r+3 × one panel starting at bp[b0] (C columns col..col+PANEL-1). */
  private static void rows4(float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col) {
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
    c00.intoArray(c, o + col);
    c01.intoArray(c, o + col + L);
    o += n;
    c10.intoArray(c, o + col);
    c11.intoArray(c, o + col + L);
    o += n;
    c20.intoArray(c, o + col);
    c21.intoArray(c, o + col + L);
    o += n;
    c30.intoArray(c, o + col);
    c31.intoArray(c, o + col + L);
  }

  /** Rows r, r+1 × two consecutive panels (the second at b0 + panelSize). */
  private static void rows2panels2(
      float[] a, int r, int k, float[] bp, int b0, int panelSize, float[] c, int n, int col) {
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
    c00.intoArray(c, o + col);
    c01.intoArray(c, o + col + L);
    c02.intoArray(c, o + col + 2 * L);
    c03.intoArray(c, o + col + 3 * L);
    o += n;
    c10.intoArray(c, o + col);
    c11.intoArray(c, o + col + L);
    c12.intoArray(c, o + col + 2 * L);
    c13.intoArray(c, o + col + 3 * L);
  }

  /** Rows r, r+1 × one panel. */
  private static void rows2(float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col) {
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
    c00.intoArray(c, o + col);
    c01.intoArray(c, o + col + L);
    o += n;
    c10.intoArray(c, o + col);
    c11.intoArray(c, o + col + L);
  }

  /** Row r × four consecutive panels: the GEMV case, eight independent FMA chains. */
  private static void row1panels4(
      float[] a, int r, int k, float[] bp, int b0, int panelSize, float[] c, int n, int col) {
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
    c0.intoArray(c, o + col);
    c1.intoArray(c, o + col + L);
    c2.intoArray(c, o + col + 2 * L);
    c3.intoArray(c, o + col + 3 * L);
    c4.intoArray(c, o + col + 4 * L);
    c5.intoArray(c, o + col + 5 * L);
    c6.intoArray(c, o + col + 6 * L);
    c7.intoArray(c, o + col + 7 * L);
  }

  /** Row r × one panel. */
  private static void row1(float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col) {
    FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F);
    int a0 = r * k;
    int pb = b0;
    for (int kk = 0; kk < k; kk++, pb += PANEL) {
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c0 = x.fma(FloatVector.fromArray(F, bp, pb), c0);
      c1 = x.fma(FloatVector.fromArray(F, bp, pb + L), c1);
    }
    int o = r * n;
    c0.intoArray(c, o + col);
    c1.intoArray(c, o + col + L);
  }

  /** Row r × the last, partial panel: columns col..n-1 with n - col < PANEL. */
  private static void tailRow(float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col) {
    FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F);
    int a0 = r * k;
    int pb = b0;
    for (int kk = 0; kk < k; kk++, pb += PANEL) {
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c0 = x.fma(FloatVector.fromArray(F, bp, pb), c0);
      c1 = x.fma(FloatVector.fromArray(F, bp, pb + L), c1);
    }
    int o = r * n;
    if (col + L <= n) {
      c0.intoArray(c, o + col);
      storePartial(c1, c, o + col + L, n - col - L);
    } else {
      storePartial(c0, c, o + col, n - col);
    }
  }

  /**
   * Writes lanes 0..count-1 of v to c[at..], lane by lane: a masked store whose full width would pass the end
   * of the array (the last row of C) falls back to a boxing Java loop.
   */
  private static void storePartial(FloatVector v, float[] c, int at, int count) {
    for (int j = 0; j < count; j++) {
      c[at + j] = v.lane(j);
    }
  }

  /**
   * Bias and ReLU on C[r0..r0+rows-1][col..col+width-1], just written by a kernel and still in L1. This is a
   * separate pass rather than part of the kernels' stores because C2 handled the kernels badly with it
   * inside: vectors merged from the bias/no-bias and ReLU/no-ReLU branches lost their exact type, and some
   * stores were then boxed (allocation in every call). Each combination has its own loop here, so no vector
   * value flows through a branch. ReLU is {@code x > 0 ? x : 0} (NaN and -0.0 → +0.0), as in
   * {@link FloatGemmScalar}.
   */
  private static void epilogue(
      float[] c, int n, int r0, int rows, int col, int width, float[] bias, boolean relu) {
    int end = col + width;
    int vecEnd = col + (width - width % L);
    FloatVector zero = FloatVector.zero(F);
    for (int r = r0; r < r0 + rows; r++) {
      int o = r * n;
      if (bias != null && relu) {
        for (int j = col; j < vecEnd; j += L) {
          FloatVector v = FloatVector.fromArray(F, c, o + j).add(FloatVector.fromArray(F, bias, j));
          zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(c, o + j);
        }
      } else if (bias != null) {
        for (int j = col; j < vecEnd; j += L) {
          FloatVector.fromArray(F, c, o + j).add(FloatVector.fromArray(F, bias, j)).intoArray(c, o + j);
        }
      } else {
        for (int j = col; j < vecEnd; j += L) {
          FloatVector v = FloatVector.fromArray(F, c, o + j);
          zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(c, o + j);
        }
      }
      for (int j = vecEnd; j < end; j++) {
        float x = c[o + j];
        if (bias != null) {
          x += bias[j];
        }
        if (relu) {
          x = x > 0f ? x : 0f;
        }
        c[o + j] = x;
      }
    }
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
      for (; j + L <= n; j += L) {
        FloatVector c0 = FloatVector.zero(F);
        int pb = b.offset() + j;
        for (int kk = 0; kk < k; kk++, pb += bs) {
          c0 = FloatVector.broadcast(F, ad[aRow + kk]).fma(FloatVector.fromArray(F, bd, pb), c0);
        }
        c0.intoArray(cd, cRow + j);
      }
      // Fewer than L columns left: scalar, in the same order (masked vector loads/stores near the end of an
      // array fall back to slow boxing code).
      for (; j < n; j++) {
        float s = 0f;
        int pb = b.offset() + j;
        for (int kk = 0; kk < k; kk++, pb += bs) {
          s = Math.fma(ad[aRow + kk], bd[pb], s);
        }
        cd[cRow + j] = s;
      }
    }
  }

  /** Partial sums of each {@link #matmulTransB} dot product, at every width (see {@link FloatGemm#matmulTransB}). */
  static final int LOGICAL = FloatGemmScalar.LOGICAL_LANES;

  /** Vectors per group of {@link #LOGICAL} k: 1 at 512 bits, 2 at 256, 4 at 128. */
  private static final int G = LOGICAL / L;

  /**
   * C = scale · A·Bᵀ over views; each dot product in {@link #LOGICAL} logical lanes (k mod 16, G vectors),
   * added in lane order, then the remaining k in scalar: {@link FloatGemmScalar#matmulTransB}'s order.
   */
  static void matmulTransB(FloatMatrix a, FloatMatrix b, float scale, FloatMatrix c) {
    float[] ad = a.data();
    float[] bd = b.data();
    float[] cd = c.data();
    int k = a.cols();
    int n = b.rows();
    int bs = b.stride();
    int kFull = k - k % LOGICAL;
    for (int i = 0; i < a.rows(); i++) {
      int aRow = a.offset() + i * a.stride();
      int cRow = c.offset() + i * c.stride();
      for (int j = 0; j < n; j++) {
        int b0 = b.offset() + j * bs;
        FloatVector s0 = FloatVector.zero(F);
        FloatVector s1 = s0;
        FloatVector s2 = s0;
        FloatVector s3 = s0;
        for (int kk = 0; kk < kFull; kk += LOGICAL) {
          s0 = FloatVector.fromArray(F, ad, aRow + kk).fma(FloatVector.fromArray(F, bd, b0 + kk), s0);
          if (G > 1) {
            s1 = FloatVector.fromArray(F, ad, aRow + kk + L).fma(FloatVector.fromArray(F, bd, b0 + kk + L), s1);
          }
          if (G > 2) {
            s2 = FloatVector.fromArray(F, ad, aRow + kk + 2 * L)
                .fma(FloatVector.fromArray(F, bd, b0 + kk + 2 * L), s2);
            s3 = FloatVector.fromArray(F, ad, aRow + kk + 3 * L)
                .fma(FloatVector.fromArray(F, bd, b0 + kk + 3 * L), s3);
          }
        }
        cd[cRow + j] = tail(ad, aRow, bd, b0, kFull, k, laneSum(s0, s1, s2, s3)) * scale;
      }
    }
  }

  /** The logical lanes of s0..s3 (G of them used) added in order, starting from lane 0 (no reduceLanes). */
  private static float laneSum(FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3) {
    float s = s0.lane(0);
    for (int i = 1; i < L; i++) {
      s += s0.lane(i);
    }
    if (G > 1) {
      for (int i = 0; i < L; i++) {
        s += s1.lane(i);
      }
    }
    if (G > 2) {
      for (int i = 0; i < L; i++) {
        s += s2.lane(i);
      }
      for (int i = 0; i < L; i++) {
        s += s3.lane(i);
      }
    }
    return s;
  }

  /** Adds the k values past the last full vector to a dot product, in scalar (no masked loads; see store). */
  private static float tail(float[] a, int aRow, float[] b, int bRow, int from, int k, float s) {
    for (int kk = from; kk < k; kk++) {
      s = Math.fma(a[aRow + kk], b[bRow + kk], s);
    }
    return s;
  }
}
