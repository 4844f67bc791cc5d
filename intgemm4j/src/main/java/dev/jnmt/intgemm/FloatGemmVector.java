package dev.jnmt.intgemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API kernels behind {@link FloatGemm}; loaded only when {@link VectorWidth#current()} is not scalar.
 *
 * <p>{@link #multiply}: a panel is two vectors wide ({@link #PANEL} = 2·lanes columns). The panels are taken
 * {@link #GROUP} at a time, and all rows of A run over a group before the next one, so B is read from memory
 * once per call for any M (the rows left over after the largest blocks run while the group is still in
 * cache). At 512 bits (AVX-512: 32 vector registers) the main block is 8 rows × 1 panel, sixteen
 * accumulators: two B loads and eight broadcasts per sixteen FMAs, and twice the independent chains that two
 * FMA pipes of latency 4 need; the leftover rows take 4 × 1 panel, 2 × 2 and 1 × 4 (eight
 * accumulators). At 256 and 128 bits (AVX2: sixteen registers; a 4×3-vector block measured spilling and
 * halving speed) the blocks keep eight accumulators: 4 rows × 1 panel, then 2 × 2, then 1 × 4. Every
 * accumulator lane runs {@code acc = fma(a, b, acc)} over k in order, which is what {@link FloatGemmScalar}
 * does, so results are bit-identical to it at every width and block. The blocks ({@link FloatBlocks}) are
 * separate small methods to stay under C2's inlining and node budgets; they store raw sums, and
 * {@code epilogue} adds bias and ReLU to each group right after, while it is in cache.
 */
final class FloatGemmVector {
  static final VectorSpecies<Float> F =
      VectorSpecies.of(float.class, VectorShape.forBitSize(VectorWidth.current().bits()));
  static final int L = F.length();
  static final int PANEL = 2 * L;

  private FloatGemmVector() {}

  /** Panels per column group: all rows of A run over a group while its panels are in L1/L2. */
  static final int GROUP = 4;

  /**
   * 512 bits: 32 vector registers (AVX-512), so 16-accumulator blocks; narrower: AVX2's 16 registers, so
   * 8-accumulator blocks (a 4×3-vector block measured spilling and halving speed there).
   */
  static final boolean WIDE = L >= 16;

  static void multiply(
      float[] a, int m, float[] bp, int k, int n, float[] c, float[] bias, boolean relu, int p0, int p1) {
    int panelSize = k * PANEL;
    // Full panels go through the register blocks, group by group: every row of A, the leftover rows of the
    // largest block included, runs over a group of GROUP panels before the next group, so B is read from
    // memory once per call whatever M is. The last panel, when N is not a multiple of PANEL, goes through
    // tailRow, so the blocks carry no partial-store code.
    int q1 = Math.min(p1, n / PANEL);
    for (int g = p0; g < q1; g += GROUP) {
      int gEnd = Math.min(g + GROUP, q1);
      int b0 = g * panelSize;
      int col = g * PANEL;
      if (WIDE) {
        group512(a, m, k, bp, b0, panelSize, gEnd - g, c, n, col);
      } else {
        group256(a, m, k, bp, b0, panelSize, gEnd - g, c, n, col);
      }
      if (bias != null || relu) {
        epilogue(c, n, 0, m, col, (gEnd - g) * PANEL, bias, relu);
      }
    }
    if (q1 < p1) {
      for (int row = 0; row < m; row++) {
        tailRow(a, row, k, bp, q1 * panelSize, c, n, q1 * PANEL);
      }
      if (bias != null || relu) {
        epilogue(c, n, 0, m, q1 * PANEL, n - q1 * PANEL, bias, relu);
      }
    }
  }

  /**
   * All m rows × {@code panels} consecutive panels (a group) at 512 bits: 8 × 1 panel blocks, then the rows
   * left over as at 256 bits. Wider leftover blocks (4 × 2, 3 × 2, 2 × 4 panels: 12–16 accumulators) were
   * 10–40% faster in JMH at M = 2..6 but are left out: every block is C2 compile time (OSR and standard, a few
   * hundred ms each) that a translation pays in CPU, for a small share of its GEMM (BENCHMARKS.md).
   */
  private static void group512(
      float[] a, int m, int k, float[] bp, int b0, int ps, int panels, float[] c, int n, int col) {
    int r = m & ~7;
    for (int p = 0; p < panels; p++) {
      for (int i = 0; i < r; i += 8) {
        FloatBlocks.rows8(a, i, k, bp, b0 + p * ps, c, n, col + p * PANEL);
      }
    }
    if (m - r >= 4) {
      for (int p = 0; p < panels; p++) {
        FloatBlocks.rows4(a, r, k, bp, b0 + p * ps, c, n, col + p * PANEL);
      }
      r += 4;
    }
    leftover(a, m, r, k, bp, b0, ps, panels, c, n, col);
  }

  /** All m rows × {@code panels} consecutive panels (a group) at 256 and 128 bits: eight accumulators. */
  private static void group256(
      float[] a, int m, int k, float[] bp, int b0, int ps, int panels, float[] c, int n, int col) {
    int r = m & ~3;
    for (int p = 0; p < panels; p++) {
      for (int i = 0; i < r; i += 4) {
        FloatBlocks.rows4(a, i, k, bp, b0 + p * ps, c, n, col + p * PANEL);
      }
    }
    leftover(a, m, r, k, bp, b0, ps, panels, c, n, col);
  }

  /** Rows r..m-1 (at most three) × the group's panels: 2 rows × 2 panels, then 1 row × 4 panels. */
  private static void leftover(
      float[] a, int m, int r, int k, float[] bp, int b0, int ps, int panels, float[] c, int n, int col) {
    if (m - r >= 2) {
      rows2(a, r, k, bp, b0, ps, panels, c, n, col);
      r += 2;
    }
    if (m - r == 1) {
      row1(a, r, k, bp, b0, ps, panels, c, n, col);
    }
  }

  /** Rows r, r+1 × {@code panels} panels, two at a time. */
  private static void rows2(
      float[] a, int r, int k, float[] bp, int b0, int ps, int panels, float[] c, int n, int col) {
    int p = 0;
    for (; p + 2 <= panels; p += 2) {
      FloatBlocks.rows2panels2(a, r, k, bp, b0 + p * ps, ps, c, n, col + p * PANEL);
    }
    if (p < panels) {
      FloatBlocks.rows2(a, r, k, bp, b0 + p * ps, c, n, col + p * PANEL);
    }
  }

  /**
   * Row r × {@code panels} panels: four at a time (eight FMA chains), then one. One row is bound by the B
   * stream, not by the FMAs: 1 × 8 panels (sixteen chains) measured no faster at 512 bits.
   */
  private static void row1(
      float[] a, int r, int k, float[] bp, int b0, int ps, int panels, float[] c, int n, int col) {
    int p = 0;
    for (; p + 4 <= panels; p += 4) {
      FloatBlocks.row1panels4(a, r, k, bp, b0 + p * ps, ps, c, n, col + p * PANEL);
    }
    for (; p < panels; p++) {
      FloatBlocks.row1(a, r, k, bp, b0 + p * ps, c, n, col + p * PANEL);
    }
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
