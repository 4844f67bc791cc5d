// Over 400 lines: each register block is written out accumulator by accumulator, which is what lets C2 keep
// every accumulator in a register (an array of vectors would be boxed).
package dev.jnmt.intgemm;

import static dev.jnmt.intgemm.FloatGemmVector.F;
import static dev.jnmt.intgemm.FloatGemmVector.L;
import static dev.jnmt.intgemm.FloatGemmVector.PANEL;

import jdk.incubator.vector.FloatVector;

/**
 * The register blocks of {@link FloatGemmVector#multiply}: R rows of A × P panels of a packed B (a panel is
 * two vectors of columns), R·2P accumulators. Each accumulator lane is one output element and runs
 * {@code acc = fma(a[i][kk], B[kk][j], acc)} for kk = 0..K-1 in order from +0.0, exactly as
 * {@link FloatGemmScalar}; the block then stores {@code acc + bias[j]} ({@code bias} is the layer's bias at
 * column {@code bcol}, or negative zeros — the identity of float addition, so a missing bias changes no bit,
 * not even of a −0.0 sum).
 *
 * <p>Arguments: rows r.. of A (row-major, K = {@code k} columns), the block's first panel at {@code bp[b0]}
 * (the next ones {@code panelSize} floats apart), C row-major with {@code n} columns, written from column
 * {@code col}. Every index is affine in the k loop's counter, so C2 hoists the bounds checks.
 */
final class FloatBlocks {
  private FloatBlocks() {}

  /** Rows r..r+7 × one panel: sixteen accumulators (512 bits: 32 registers). */
  static void rows8(
      float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col, float[] bias, int bcol) {
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
    FloatVector d0 = FloatVector.fromArray(F, bias, bcol);
    FloatVector d1 = FloatVector.fromArray(F, bias, bcol + 1 * L);
    int o = r * n + col;
    c00.add(d0).intoArray(c, o);
    c01.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c10.add(d0).intoArray(c, o);
    c11.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c20.add(d0).intoArray(c, o);
    c21.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c30.add(d0).intoArray(c, o);
    c31.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c40.add(d0).intoArray(c, o);
    c41.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c50.add(d0).intoArray(c, o);
    c51.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c60.add(d0).intoArray(c, o);
    c61.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c70.add(d0).intoArray(c, o);
    c71.add(d1).intoArray(c, o + 1 * L);
  }

  /** Rows r..r+3 × one panel: eight accumulators. */
  static void rows4(
      float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col, float[] bias, int bcol) {
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
    FloatVector d0 = FloatVector.fromArray(F, bias, bcol);
    FloatVector d1 = FloatVector.fromArray(F, bias, bcol + 1 * L);
    int o = r * n + col;
    c00.add(d0).intoArray(c, o);
    c01.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c10.add(d0).intoArray(c, o);
    c11.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c20.add(d0).intoArray(c, o);
    c21.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c30.add(d0).intoArray(c, o);
    c31.add(d1).intoArray(c, o + 1 * L);
  }

  /** Rows r..r+2 × two panels: twelve accumulators (512 bits). */
  static void rows3panels2(
      float[] a, int r, int k, float[] bp, int b0, int panelSize, float[] c, int n, int col, float[] bias, int bcol) {
    FloatVector c00 = FloatVector.zero(F);
    FloatVector c01 = FloatVector.zero(F);
    FloatVector c02 = FloatVector.zero(F);
    FloatVector c03 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F);
    FloatVector c11 = FloatVector.zero(F);
    FloatVector c12 = FloatVector.zero(F);
    FloatVector c13 = FloatVector.zero(F);
    FloatVector c20 = FloatVector.zero(F);
    FloatVector c21 = FloatVector.zero(F);
    FloatVector c22 = FloatVector.zero(F);
    FloatVector c23 = FloatVector.zero(F);
    int a0 = r * k;
    int a1 = a0 + k;
    int a2 = a1 + k;
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
      x = FloatVector.broadcast(F, a[a2 + kk]);
      c20 = x.fma(v0, c20);
      c21 = x.fma(v1, c21);
      c22 = x.fma(v2, c22);
      c23 = x.fma(v3, c23);
    }
    FloatVector d0 = FloatVector.fromArray(F, bias, bcol);
    FloatVector d1 = FloatVector.fromArray(F, bias, bcol + 1 * L);
    FloatVector d2 = FloatVector.fromArray(F, bias, bcol + 2 * L);
    FloatVector d3 = FloatVector.fromArray(F, bias, bcol + 3 * L);
    int o = r * n + col;
    c00.add(d0).intoArray(c, o);
    c01.add(d1).intoArray(c, o + 1 * L);
    c02.add(d2).intoArray(c, o + 2 * L);
    c03.add(d3).intoArray(c, o + 3 * L);
    o += n;
    c10.add(d0).intoArray(c, o);
    c11.add(d1).intoArray(c, o + 1 * L);
    c12.add(d2).intoArray(c, o + 2 * L);
    c13.add(d3).intoArray(c, o + 3 * L);
    o += n;
    c20.add(d0).intoArray(c, o);
    c21.add(d1).intoArray(c, o + 1 * L);
    c22.add(d2).intoArray(c, o + 2 * L);
    c23.add(d3).intoArray(c, o + 3 * L);
  }

  /** Rows r..r+2 × one panel: six accumulators. */
  static void rows3(
      float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col, float[] bias, int bcol) {
    FloatVector c00 = FloatVector.zero(F), c01 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F), c11 = FloatVector.zero(F);
    FloatVector c20 = FloatVector.zero(F), c21 = FloatVector.zero(F);
    int a0 = r * k;
    int a1 = a0 + k;
    int a2 = a1 + k;
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
    }
    FloatVector d0 = FloatVector.fromArray(F, bias, bcol);
    FloatVector d1 = FloatVector.fromArray(F, bias, bcol + 1 * L);
    int o = r * n + col;
    c00.add(d0).intoArray(c, o);
    c01.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c10.add(d0).intoArray(c, o);
    c11.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c20.add(d0).intoArray(c, o);
    c21.add(d1).intoArray(c, o + 1 * L);
  }

  /** Rows r, r+1 × two panels: eight accumulators. */
  static void rows2panels2(
      float[] a, int r, int k, float[] bp, int b0, int panelSize, float[] c, int n, int col, float[] bias, int bcol) {
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
    FloatVector d0 = FloatVector.fromArray(F, bias, bcol);
    FloatVector d1 = FloatVector.fromArray(F, bias, bcol + 1 * L);
    FloatVector d2 = FloatVector.fromArray(F, bias, bcol + 2 * L);
    FloatVector d3 = FloatVector.fromArray(F, bias, bcol + 3 * L);
    int o = r * n + col;
    c00.add(d0).intoArray(c, o);
    c01.add(d1).intoArray(c, o + 1 * L);
    c02.add(d2).intoArray(c, o + 2 * L);
    c03.add(d3).intoArray(c, o + 3 * L);
    o += n;
    c10.add(d0).intoArray(c, o);
    c11.add(d1).intoArray(c, o + 1 * L);
    c12.add(d2).intoArray(c, o + 2 * L);
    c13.add(d3).intoArray(c, o + 3 * L);
  }

  /** Rows r, r+1 × one panel. */
  static void rows2(
      float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col, float[] bias, int bcol) {
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
    FloatVector d0 = FloatVector.fromArray(F, bias, bcol);
    FloatVector d1 = FloatVector.fromArray(F, bias, bcol + 1 * L);
    int o = r * n + col;
    c00.add(d0).intoArray(c, o);
    c01.add(d1).intoArray(c, o + 1 * L);
    o += n;
    c10.add(d0).intoArray(c, o);
    c11.add(d1).intoArray(c, o + 1 * L);
  }

  /** Row r × four panels: eight accumulators, the GEMV case. */
  static void row1panels4(
      float[] a, int r, int k, float[] bp, int b0, int panelSize, float[] c, int n, int col, float[] bias, int bcol) {
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
    FloatVector d0 = FloatVector.fromArray(F, bias, bcol);
    FloatVector d1 = FloatVector.fromArray(F, bias, bcol + 1 * L);
    FloatVector d2 = FloatVector.fromArray(F, bias, bcol + 2 * L);
    FloatVector d3 = FloatVector.fromArray(F, bias, bcol + 3 * L);
    FloatVector d4 = FloatVector.fromArray(F, bias, bcol + 4 * L);
    FloatVector d5 = FloatVector.fromArray(F, bias, bcol + 5 * L);
    FloatVector d6 = FloatVector.fromArray(F, bias, bcol + 6 * L);
    FloatVector d7 = FloatVector.fromArray(F, bias, bcol + 7 * L);
    int o = r * n + col;
    c00.add(d0).intoArray(c, o);
    c01.add(d1).intoArray(c, o + 1 * L);
    c02.add(d2).intoArray(c, o + 2 * L);
    c03.add(d3).intoArray(c, o + 3 * L);
    c04.add(d4).intoArray(c, o + 4 * L);
    c05.add(d5).intoArray(c, o + 5 * L);
    c06.add(d6).intoArray(c, o + 6 * L);
    c07.add(d7).intoArray(c, o + 7 * L);
  }

  /** Row r × two panels. */
  static void row1panels2(
      float[] a, int r, int k, float[] bp, int b0, int panelSize, float[] c, int n, int col, float[] bias, int bcol) {
    FloatVector c00 = FloatVector.zero(F);
    FloatVector c01 = FloatVector.zero(F);
    FloatVector c02 = FloatVector.zero(F);
    FloatVector c03 = FloatVector.zero(F);
    int a0 = r * k;
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
    }
    FloatVector d0 = FloatVector.fromArray(F, bias, bcol);
    FloatVector d1 = FloatVector.fromArray(F, bias, bcol + 1 * L);
    FloatVector d2 = FloatVector.fromArray(F, bias, bcol + 2 * L);
    FloatVector d3 = FloatVector.fromArray(F, bias, bcol + 3 * L);
    int o = r * n + col;
    c00.add(d0).intoArray(c, o);
    c01.add(d1).intoArray(c, o + 1 * L);
    c02.add(d2).intoArray(c, o + 2 * L);
    c03.add(d3).intoArray(c, o + 3 * L);
  }

  /** Row r × one panel. */
  static void row1(
      float[] a, int r, int k, float[] bp, int b0, float[] c, int n, int col, float[] bias, int bcol) {
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
    FloatVector d0 = FloatVector.fromArray(F, bias, bcol);
    FloatVector d1 = FloatVector.fromArray(F, bias, bcol + 1 * L);
    int o = r * n + col;
    c00.add(d0).intoArray(c, o);
    c01.add(d1).intoArray(c, o + 1 * L);
  }

  /** Rows r..r+3 × two panels: sixteen accumulators (512 bits). */
  static void rows4panels2(
      float[] a, int r, int k, float[] bp, int b0, int panelSize, float[] c, int n, int col, float[] bias, int bcol) {
    FloatVector c00 = FloatVector.zero(F);
    FloatVector c01 = FloatVector.zero(F);
    FloatVector c02 = FloatVector.zero(F);
    FloatVector c03 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F);
    FloatVector c11 = FloatVector.zero(F);
    FloatVector c12 = FloatVector.zero(F);
    FloatVector c13 = FloatVector.zero(F);
    FloatVector c20 = FloatVector.zero(F);
    FloatVector c21 = FloatVector.zero(F);
    FloatVector c22 = FloatVector.zero(F);
    FloatVector c23 = FloatVector.zero(F);
    FloatVector c30 = FloatVector.zero(F);
    FloatVector c31 = FloatVector.zero(F);
    FloatVector c32 = FloatVector.zero(F);
    FloatVector c33 = FloatVector.zero(F);
    int a0 = r * k;
    int a1 = a0 + k;
    int a2 = a1 + k;
    int a3 = a2 + k;
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
      x = FloatVector.broadcast(F, a[a2 + kk]);
      c20 = x.fma(v0, c20);
      c21 = x.fma(v1, c21);
      c22 = x.fma(v2, c22);
      c23 = x.fma(v3, c23);
      x = FloatVector.broadcast(F, a[a3 + kk]);
      c30 = x.fma(v0, c30);
      c31 = x.fma(v1, c31);
      c32 = x.fma(v2, c32);
      c33 = x.fma(v3, c33);
    }
    FloatVector d0 = FloatVector.fromArray(F, bias, bcol);
    FloatVector d1 = FloatVector.fromArray(F, bias, bcol + 1 * L);
    FloatVector d2 = FloatVector.fromArray(F, bias, bcol + 2 * L);
    FloatVector d3 = FloatVector.fromArray(F, bias, bcol + 3 * L);
    int o = r * n + col;
    c00.add(d0).intoArray(c, o);
    c01.add(d1).intoArray(c, o + 1 * L);
    c02.add(d2).intoArray(c, o + 2 * L);
    c03.add(d3).intoArray(c, o + 3 * L);
    o += n;
    c10.add(d0).intoArray(c, o);
    c11.add(d1).intoArray(c, o + 1 * L);
    c12.add(d2).intoArray(c, o + 2 * L);
    c13.add(d3).intoArray(c, o + 3 * L);
    o += n;
    c20.add(d0).intoArray(c, o);
    c21.add(d1).intoArray(c, o + 1 * L);
    c22.add(d2).intoArray(c, o + 2 * L);
    c23.add(d3).intoArray(c, o + 3 * L);
    o += n;
    c30.add(d0).intoArray(c, o);
    c31.add(d1).intoArray(c, o + 1 * L);
    c32.add(d2).intoArray(c, o + 2 * L);
    c33.add(d3).intoArray(c, o + 3 * L);
  }

  /** Rows r, r+1 × four panels: sixteen accumulators (512 bits). */
  static void rows2panels4(
      float[] a, int r, int k, float[] bp, int b0, int panelSize, float[] c, int n, int col, float[] bias, int bcol) {
    FloatVector c00 = FloatVector.zero(F);
    FloatVector c01 = FloatVector.zero(F);
    FloatVector c02 = FloatVector.zero(F);
    FloatVector c03 = FloatVector.zero(F);
    FloatVector c04 = FloatVector.zero(F);
    FloatVector c05 = FloatVector.zero(F);
    FloatVector c06 = FloatVector.zero(F);
    FloatVector c07 = FloatVector.zero(F);
    FloatVector c10 = FloatVector.zero(F);
    FloatVector c11 = FloatVector.zero(F);
    FloatVector c12 = FloatVector.zero(F);
    FloatVector c13 = FloatVector.zero(F);
    FloatVector c14 = FloatVector.zero(F);
    FloatVector c15 = FloatVector.zero(F);
    FloatVector c16 = FloatVector.zero(F);
    FloatVector c17 = FloatVector.zero(F);
    int a0 = r * k;
    int a1 = a0 + k;
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
      x = FloatVector.broadcast(F, a[a1 + kk]);
      c10 = x.fma(v0, c10);
      c11 = x.fma(v1, c11);
      c12 = x.fma(v2, c12);
      c13 = x.fma(v3, c13);
      c14 = x.fma(v4, c14);
      c15 = x.fma(v5, c15);
      c16 = x.fma(v6, c16);
      c17 = x.fma(v7, c17);
    }
    FloatVector d0 = FloatVector.fromArray(F, bias, bcol);
    FloatVector d1 = FloatVector.fromArray(F, bias, bcol + 1 * L);
    FloatVector d2 = FloatVector.fromArray(F, bias, bcol + 2 * L);
    FloatVector d3 = FloatVector.fromArray(F, bias, bcol + 3 * L);
    FloatVector d4 = FloatVector.fromArray(F, bias, bcol + 4 * L);
    FloatVector d5 = FloatVector.fromArray(F, bias, bcol + 5 * L);
    FloatVector d6 = FloatVector.fromArray(F, bias, bcol + 6 * L);
    FloatVector d7 = FloatVector.fromArray(F, bias, bcol + 7 * L);
    int o = r * n + col;
    c00.add(d0).intoArray(c, o);
    c01.add(d1).intoArray(c, o + 1 * L);
    c02.add(d2).intoArray(c, o + 2 * L);
    c03.add(d3).intoArray(c, o + 3 * L);
    c04.add(d4).intoArray(c, o + 4 * L);
    c05.add(d5).intoArray(c, o + 5 * L);
    c06.add(d6).intoArray(c, o + 6 * L);
    c07.add(d7).intoArray(c, o + 7 * L);
    o += n;
    c10.add(d0).intoArray(c, o);
    c11.add(d1).intoArray(c, o + 1 * L);
    c12.add(d2).intoArray(c, o + 2 * L);
    c13.add(d3).intoArray(c, o + 3 * L);
    c14.add(d4).intoArray(c, o + 4 * L);
    c15.add(d5).intoArray(c, o + 5 * L);
    c16.add(d6).intoArray(c, o + 6 * L);
    c17.add(d7).intoArray(c, o + 7 * L);
  }
}
