package dev.jnmt.intgemm;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.S2I;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 16-bit kernel on jdk.incubator.vector; {@link ScalarKernels16} is its twin. A is widened to int once by
 * prepareA, B is widened on load ({@code vpmovsxwd}); products and sums are 32-bit and wrap, which is exactly
 * {@code vpmaddwd} + {@code vpaddd} (the order of wrapping additions does not change a sum modulo 2^32).
 *
 * <p>Same code-shape rules as {@link VectorKernels8}: everything inline, at most 8 accumulators, float output
 * through {@code (float) sum} plus {@link Epilogues#finish}, int32 output through the general panel. B is read in
 * its 4-column groups of 8-value chunks ({@link PreparedB#index16}): one 256-bit step is one chunk; at 128 bits
 * (and in the general panel) a chunk takes {@code 8 / L} steps.
 */
final class VectorKernels16 {
  private VectorKernels16() {}

  static final int BITS = VectorWidth.current().bits() >= 256 ? 256 : 128;
  static final VectorSpecies<Integer> I = BITS == 256 ? IntVector.SPECIES_256 : IntVector.SPECIES_128;
  static final VectorSpecies<Short> SH = BITS == 256 ? ShortVector.SPECIES_128 : ShortVector.SPECIES_64;
  /** Ints per vector: 8 or 4; K is a multiple of 32, so whole chunks always fit. */
  static final int L = I.length();
  /** Columns per panel call, for the reason given at {@link VectorKernels8#COLUMN_BLOCK}. */
  static final int COLUMN_BLOCK = 16;

  static void multiply16(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd) {
    int[] av = a.ints;
    short[] bv = b.shorts;
    int k = a.cols();
    int rows = a.rows();
    int cols = b.cols();
    float[] fo = Epilogues.floatOut(e);
    int[] io = Epilogues.intOut(e);
    if (L == 8 && io == null) {
      int even = rows & ~1;
      for (int c0 = colStart; c0 < colEnd; c0 += COLUMN_BLOCK) {
        int c1 = Math.min(colEnd, c0 + COLUMN_BLOCK);
        panel2x4(av, bv, k, even, c0, c1, cols, fo);
        if (even < rows) {
          panel1x4(av, bv, k, even, c0, c1, cols, fo);
        }
      }
    } else {
      for (int c0 = colStart; c0 < colEnd; c0 += COLUMN_BLOCK) {
        int c1 = Math.min(colEnd, c0 + COLUMN_BLOCK);
        for (int r = 0; r < rows; r++) {
          panel1x4General(av, bv, k, r, c0, c1, cols, fo, io);
        }
      }
    }
    Epilogues.finish(e, rows, cols, colStart, colEnd);
  }

  private static void panel2x4(
      int[] a, short[] b, int k, int rowEnd, int colStart, int colEnd, int cols, float[] out) {
    for (int c = colStart; c < colEnd; c += 4) {
      for (int r = 0; r < rowEnd; r += 2) {
        int a0 = r * k;
        int b0 = (c >> 2) * 4 * k + (c & 3) * 8;
        int a1 = a0 + k;
        int b1 = b0 + 8;
        int b2 = b1 + 8;
        int b3 = b2 + 8;
        IntVector z = IntVector.zero(I);
        IntVector s00 = z, s01 = z, s02 = z, s03 = z, s10 = z, s11 = z, s12 = z, s13 = z;
        for (int x = 0; x < k; x += 8) {
          IntVector bv0 = (IntVector) ShortVector.fromArray(SH, b, b0 + 4 * x).convertShape(S2I, I, 0);
          IntVector bv1 = (IntVector) ShortVector.fromArray(SH, b, b1 + 4 * x).convertShape(S2I, I, 0);
          IntVector bv2 = (IntVector) ShortVector.fromArray(SH, b, b2 + 4 * x).convertShape(S2I, I, 0);
          IntVector bv3 = (IntVector) ShortVector.fromArray(SH, b, b3 + 4 * x).convertShape(S2I, I, 0);
          IntVector av = IntVector.fromArray(I, a, a0 + x);
          s00 = s00.add(av.mul(bv0));
          s01 = s01.add(av.mul(bv1));
          s02 = s02.add(av.mul(bv2));
          s03 = s03.add(av.mul(bv3));
          av = IntVector.fromArray(I, a, a1 + x);
          s10 = s10.add(av.mul(bv0));
          s11 = s11.add(av.mul(bv1));
          s12 = s12.add(av.mul(bv2));
          s13 = s13.add(av.mul(bv3));
        }
        out[r * cols + c] = (float) s00.reduceLanes(ADD);
        out[r * cols + c + 1] = (float) s01.reduceLanes(ADD);
        out[r * cols + c + 2] = (float) s02.reduceLanes(ADD);
        out[r * cols + c + 3] = (float) s03.reduceLanes(ADD);
        out[(r + 1) * cols + c] = (float) s10.reduceLanes(ADD);
        out[(r + 1) * cols + c + 1] = (float) s11.reduceLanes(ADD);
        out[(r + 1) * cols + c + 2] = (float) s12.reduceLanes(ADD);
        out[(r + 1) * cols + c + 3] = (float) s13.reduceLanes(ADD);
      }
    }
  }

  private static void panel1x4(
      int[] a, short[] b, int k, int r, int colStart, int colEnd, int cols, float[] out) {
    for (int c = colStart; c < colEnd; c += 4) {
      int a0 = r * k;
      int b0 = (c >> 2) * 4 * k + (c & 3) * 8;
      int b1 = b0 + 8;
      int b2 = b1 + 8;
      int b3 = b2 + 8;
      IntVector z = IntVector.zero(I);
      IntVector s00 = z, s01 = z, s02 = z, s03 = z;
      for (int x = 0; x < k; x += 8) {
        IntVector bv0 = (IntVector) ShortVector.fromArray(SH, b, b0 + 4 * x).convertShape(S2I, I, 0);
        IntVector bv1 = (IntVector) ShortVector.fromArray(SH, b, b1 + 4 * x).convertShape(S2I, I, 0);
        IntVector bv2 = (IntVector) ShortVector.fromArray(SH, b, b2 + 4 * x).convertShape(S2I, I, 0);
        IntVector bv3 = (IntVector) ShortVector.fromArray(SH, b, b3 + 4 * x).convertShape(S2I, I, 0);
        IntVector av = IntVector.fromArray(I, a, a0 + x);
        s00 = s00.add(av.mul(bv0));
        s01 = s01.add(av.mul(bv1));
        s02 = s02.add(av.mul(bv2));
        s03 = s03.add(av.mul(bv3));
      }
      out[r * cols + c] = (float) s00.reduceLanes(ADD);
      out[r * cols + c + 1] = (float) s01.reduceLanes(ADD);
      out[r * cols + c + 2] = (float) s02.reduceLanes(ADD);
      out[r * cols + c + 3] = (float) s03.reduceLanes(ADD);
    }
  }

  private static void panel1x4General(
      int[] a, short[] b, int k, int r, int colStart, int colEnd, int cols, float[] fo, int[] io) {
    for (int c = colStart; c < colEnd; c += 4) {
      int a0 = r * k;
      int b0 = (c >> 2) * 4 * k + (c & 3) * 8;
      int b1 = b0 + 8;
      int b2 = b1 + 8;
      int b3 = b2 + 8;
      IntVector z = IntVector.zero(I);
      IntVector s00 = z, s01 = z, s02 = z, s03 = z;
      for (int x = 0; x < k; x += 8) {
        for (int h = 0; h < 8; h += L) {
          IntVector bv0 = (IntVector) ShortVector.fromArray(SH, b, b0 + 4 * x + h).convertShape(S2I, I, 0);
          IntVector bv1 = (IntVector) ShortVector.fromArray(SH, b, b1 + 4 * x + h).convertShape(S2I, I, 0);
          IntVector bv2 = (IntVector) ShortVector.fromArray(SH, b, b2 + 4 * x + h).convertShape(S2I, I, 0);
          IntVector bv3 = (IntVector) ShortVector.fromArray(SH, b, b3 + 4 * x + h).convertShape(S2I, I, 0);
          IntVector av = IntVector.fromArray(I, a, a0 + x + h);
          s00 = s00.add(av.mul(bv0));
          s01 = s01.add(av.mul(bv1));
          s02 = s02.add(av.mul(bv2));
          s03 = s03.add(av.mul(bv3));
        }
      }
      Epilogues.store(fo, io, r * cols + c, s00.reduceLanes(ADD));
      Epilogues.store(fo, io, r * cols + c + 1, s01.reduceLanes(ADD));
      Epilogues.store(fo, io, r * cols + c + 2, s02.reduceLanes(ADD));
      Epilogues.store(fo, io, r * cols + c + 3, s03.reduceLanes(ADD));
    }
  }

}
