package dev.jnmt.intgemm;

import static dev.jnmt.intgemm.FloatGemmVector.F;
import static dev.jnmt.intgemm.FloatGemmVector.L;
import static dev.jnmt.intgemm.FloatGemmVector.PANEL;

import jdk.incubator.vector.FloatVector;

/**
 * The register blocks of {@link FloatGemmVector#multiply}: R rows of A × P panels of a packed B (a panel is
 * two vectors of columns), R·2P accumulators. Each accumulator lane is one output element and runs
 * {@code acc = fma(a[i][kk], B[kk][j], acc)} for kk = 0..K-1 in order from +0.0, exactly as
 * {@link FloatGemmScalar}, and the block stores the sums; the bias is added by a separate pass over each group
 * (kept out of the blocks, which keeps each block smaller for C2 to compile: compile time counts in a
 * translation's CPU time).
 *
 * <p>Arguments: rows r.. of A (row-major, K = {@code k} columns), the block's first panel at {@code bp[b0]}
 * (the next ones {@code panelSize} floats apart), C row-major with {@code n} columns, written from column
 * {@code col}. Every index is written affine in the k loop's counter (the form C2's range-check elimination
 * needs). Each block is written out accumulator by accumulator, which is what lets C2 keep every accumulator
 * in a register.
 */
final class FloatBlocks {
  private FloatBlocks() {}

  /** Rows r..r+7 × one panel: sixteen accumulators (512 bits: 32 registers). */
  static void rows8(float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col) {
    FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
    FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
    FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
    FloatVector c40 = FloatVector.zero(F), c41 = FloatVector.zero(F);
    FloatVector c50 = FloatVector.zero(F), c51 = FloatVector.zero(F);
    FloatVector c60 = FloatVector.zero(F), c61 = FloatVector.zero(F);
    FloatVector c70 = FloatVector.zero(F), c71 = FloatVector.zero(F);
    int a0 = r * k;
    int a1 = a0 + k;
    int a2 = a1 + k;
    int a3 = a2 + k;
    int a4 = a3 + k;
    int a5 = a4 + k;
    int a6 = a5 + k;
    int a7 = a6 + k;
    for (int kk = 0; kk < k; kk++) {
      int pb = b0 + kk * PANEL;
      FloatVector v0 = FloatVector.fromArray(F, bp, pb);
      FloatVector v1 = FloatVector.fromArray(F, bp, pb + L);
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c00 = x.fma(v0, c00);
      c01 = x.fma(v1, c01);
      x = FloatVector.broadcast(F, a[a1 + kk]);
      c10 = x.fma(v0, c10);
      c11 = x.fma(v1, c11);
      x = FloatVector.broadcast(F, a[a2 + kk]);
      c20 = x.fma(v0, c20);
      c21 = x.fma(v1, c21);
      x = FloatVector.broadcast(F, a[a3 + kk]);
      c30 = x.fma(v0, c30);
      c31 = x.fma(v1, c31);
      x = FloatVector.broadcast(F, a[a4 + kk]);
      c40 = x.fma(v0, c40);
      c41 = x.fma(v1, c41);
      x = FloatVector.broadcast(F, a[a5 + kk]);
      c50 = x.fma(v0, c50);
      c51 = x.fma(v1, c51);
      x = FloatVector.broadcast(F, a[a6 + kk]);
      c60 = x.fma(v0, c60);
      c61 = x.fma(v1, c61);
      x = FloatVector.broadcast(F, a[a7 + kk]);
      c70 = x.fma(v0, c70);
      c71 = x.fma(v1, c71);
    }
    int o = r * n + col;
    c00.intoArray(c, o);
    c01.intoArray(c, o + 1 * L);
    o += n;
    c10.intoArray(c, o);
    c11.intoArray(c, o + 1 * L);
    o += n;
    c20.intoArray(c, o);
    c21.intoArray(c, o + 1 * L);
    o += n;
    c30.intoArray(c, o);
    c31.intoArray(c, o + 1 * L);
    o += n;
    c40.intoArray(c, o);
    c41.intoArray(c, o + 1 * L);
    o += n;
    c50.intoArray(c, o);
    c51.intoArray(c, o + 1 * L);
    o += n;
    c60.intoArray(c, o);
    c61.intoArray(c, o + 1 * L);
    o += n;
    c70.intoArray(c, o);
    c71.intoArray(c, o + 1 * L);
  }

  /** Rows r..r+3 × one panel: eight accumulators. */
  static void rows4(float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col) {
    FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
    FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
    FloatVector c30 = FloatVector.zero(F), c31 = FloatVector.zero(F);
    int a0 = r * k;
    int a1 = a0 + k;
    int a2 = a1 + k;
    int a3 = a2 + k;
    for (int kk = 0; kk < k; kk++) {
      int pb = b0 + kk * PANEL;
      FloatVector v0 = FloatVector.fromArray(F, bp, pb);
      FloatVector v1 = FloatVector.fromArray(F, bp, pb + L);
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c00 = x.fma(v0, c00);
      c01 = x.fma(v1, c01);
      x = FloatVector.broadcast(F, a[a1 + kk]);
      c10 = x.fma(v0, c10);
      c11 = x.fma(v1, c11);
      x = FloatVector.broadcast(F, a[a2 + kk]);
      c20 = x.fma(v0, c20);
      c21 = x.fma(v1, c21);
      x = FloatVector.broadcast(F, a[a3 + kk]);
      c30 = x.fma(v0, c30);
      c31 = x.fma(v1, c31);
    }
    int o = r * n + col;
    c00.intoArray(c, o);
    c01.intoArray(c, o + 1 * L);
    o += n;
    c10.intoArray(c, o);
    c11.intoArray(c, o + 1 * L);
    o += n;
    c20.intoArray(c, o);
    c21.intoArray(c, o + 1 * L);
    o += n;
    c30.intoArray(c, o);
    c31.intoArray(c, o + 1 * L);
  }

  /** Rows r, r+1 × two panels: eight accumulators. */
  static void rows2panels2(
      float[] a, int r, int k, float[] bp, int b0, int panelSize, float[] c, int n, int col) {
    FloatVector c00 = FloatVector.zero(F);
    FloatVector c01 = FloatVector.zero(F);
    FloatVector c02 = FloatVector.zero(F);
    FloatVector c03 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F);
    FloatVector c11 = FloatVector.zero(F);
    FloatVector c12 = FloatVector.zero(F);
    FloatVector c13 = FloatVector.zero(F);
    int a0 = r * k;
    int a1 = a0 + k;
    int s1 = panelSize;
    for (int kk = 0; kk < k; kk++) {
      int pb = b0 + kk * PANEL;
      FloatVector v0 = FloatVector.fromArray(F, bp, pb);
      FloatVector v1 = FloatVector.fromArray(F, bp, pb + L);
      FloatVector v2 = FloatVector.fromArray(F, bp, pb + s1);
      FloatVector v3 = FloatVector.fromArray(F, bp, pb + s1 + L);
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c00 = x.fma(v0, c00);
      c01 = x.fma(v1, c01);
      c02 = x.fma(v2, c02);
      c03 = x.fma(v3, c03);
      x = FloatVector.broadcast(F, a[a1 + kk]);
      c10 = x.fma(v0, c10);
      c11 = x.fma(v1, c11);
      c12 = x.fma(v2, c12);
      c13 = x.fma(v3, c13);
    }
    int o = r * n + col;
    c00.intoArray(c, o);
    c01.intoArray(c, o + 1 * L);
    c02.intoArray(c, o + 2 * L);
    c03.intoArray(c, o + 3 * L);
    o += n;
    c10.intoArray(c, o);
    c11.intoArray(c, o + 1 * L);
    c12.intoArray(c, o + 2 * L);
    c13.intoArray(c, o + 3 * L);
  }

  /** Rows r, r+1 × one panel. */
  static void rows2(float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col) {
    FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
    int a0 = r * k;
    int a1 = a0 + k;
    for (int kk = 0; kk < k; kk++) {
      int pb = b0 + kk * PANEL;
      FloatVector v0 = FloatVector.fromArray(F, bp, pb);
      FloatVector v1 = FloatVector.fromArray(F, bp, pb + L);
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c00 = x.fma(v0, c00);
      c01 = x.fma(v1, c01);
      x = FloatVector.broadcast(F, a[a1 + kk]);
      c10 = x.fma(v0, c10);
      c11 = x.fma(v1, c11);
    }
    int o = r * n + col;
    c00.intoArray(c, o);
    c01.intoArray(c, o + 1 * L);
    o += n;
    c10.intoArray(c, o);
    c11.intoArray(c, o + 1 * L);
  }

  /** Row r × four panels: eight accumulators, the GEMV case. */
  static void row1panels4(
      float[] a, int r, int k, float[] bp, int b0, int panelSize, float[] c, int n, int col) {
    FloatVector c00 = FloatVector.zero(F);
    FloatVector c01 = FloatVector.zero(F);
    FloatVector c02 = FloatVector.zero(F);
    FloatVector c03 = FloatVector.zero(F);
    FloatVector c04 = FloatVector.zero(F);
    FloatVector c05 = FloatVector.zero(F);
    FloatVector c06 = FloatVector.zero(F);
    FloatVector c07 = FloatVector.zero(F);
    int a0 = r * k;
    int s1 = panelSize;
    int s2 = 2 * panelSize;
    int s3 = 3 * panelSize;
    for (int kk = 0; kk < k; kk++) {
      int pb = b0 + kk * PANEL;
      FloatVector v0 = FloatVector.fromArray(F, bp, pb);
      FloatVector v1 = FloatVector.fromArray(F, bp, pb + L);
      FloatVector v2 = FloatVector.fromArray(F, bp, pb + s1);
      FloatVector v3 = FloatVector.fromArray(F, bp, pb + s1 + L);
      FloatVector v4 = FloatVector.fromArray(F, bp, pb + s2);
      FloatVector v5 = FloatVector.fromArray(F, bp, pb + s2 + L);
      FloatVector v6 = FloatVector.fromArray(F, bp, pb + s3);
      FloatVector v7 = FloatVector.fromArray(F, bp, pb + s3 + L);
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c00 = x.fma(v0, c00);
      c01 = x.fma(v1, c01);
      c02 = x.fma(v2, c02);
      c03 = x.fma(v3, c03);
      c04 = x.fma(v4, c04);
      c05 = x.fma(v5, c05);
      c06 = x.fma(v6, c06);
      c07 = x.fma(v7, c07);
    }
    int o = r * n + col;
    c00.intoArray(c, o);
    c01.intoArray(c, o + 1 * L);
    c02.intoArray(c, o + 2 * L);
    c03.intoArray(c, o + 3 * L);
    c04.intoArray(c, o + 4 * L);
    c05.intoArray(c, o + 5 * L);
    c06.intoArray(c, o + 6 * L);
    c07.intoArray(c, o + 7 * L);
  }

  /** Row r × one panel. */
  static void row1(float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col) {
    FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
    int a0 = r * k;
    for (int kk = 0; kk < k; kk++) {
      int pb = b0 + kk * PANEL;
      FloatVector v0 = FloatVector.fromArray(F, bp, pb);
      FloatVector v1 = FloatVector.fromArray(F, bp, pb + L);
      FloatVector x = FloatVector.broadcast(F, a[a0 + kk]);
      c00 = x.fma(v0, c00);
      c01 = x.fma(v1, c01);
    }
    int o = r * n + col;
    c00.intoArray(c, o);
    c01.intoArray(c, o + 1 * L);
  }
}
