package dev.jnmt.intgemm;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 16-bit kernel on jdk.incubator.vector; {@link ScalarKernels16} is its twin. A is widened to int once by
 * prepareA, B is widened on load ({@code vpmovsxwd}); products and sums are 32-bit and wrap, which is exactly
 * {@code vpmaddwd} + {@code vpaddd} (the order of wrapping additions does not change a sum modulo 2^32).
 */
final class VectorKernels16 {
  private VectorKernels16() {}

  static final int BITS = VectorWidth.current().bits() >= 256 ? 256 : 128;
  static final VectorSpecies<Integer> I = BITS == 256 ? IntVector.SPECIES_256 : IntVector.SPECIES_128;
  static final VectorSpecies<Short> SH = BITS == 256 ? ShortVector.SPECIES_128 : ShortVector.SPECIES_64;
  static final int L = I.length();

  private static IntVector loadB(short[] b, int offset) {
    return (IntVector) ShortVector.fromArray(SH, b, offset).convertShape(VectorOperators.S2I, I, 0);
  }

  static void multiply16(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd) {
    int[] av = a.ints;
    short[] bv = b.shorts;
    int k = a.cols();
    int rows = a.rows();
    int cols = b.cols();
    for (int c = colStart; c < colEnd; c += 2) {
      int r = 0;
      for (; r + 2 <= rows; r += 2) {
        tile2x2(av, r * k, bv, c * k, k, e, r, c, cols);
      }
      if (r < rows) {
        tile1x2(av, r * k, bv, c * k, k, e, r, c, cols);
      }
    }
  }

  private static void tile2x2(int[] a, int a0, short[] b, int b0, int k, Epilogue e, int r, int c, int cols) {
    int a1 = a0 + k;
    int b1 = b0 + k;
    IntVector s00 = IntVector.zero(I), s01 = s00, s10 = s00, s11 = s00;
    for (int x = 0; x < k; x += L) {
      IntVector bv0 = loadB(b, b0 + x);
      IntVector bv1 = loadB(b, b1 + x);
      IntVector av = IntVector.fromArray(I, a, a0 + x);
      s00 = s00.add(av.mul(bv0));
      s01 = s01.add(av.mul(bv1));
      av = IntVector.fromArray(I, a, a1 + x);
      s10 = s10.add(av.mul(bv0));
      s11 = s11.add(av.mul(bv1));
    }
    Epilogues.apply(e, r, c, cols, s00.reduceLanes(VectorOperators.ADD));
    Epilogues.apply(e, r, c + 1, cols, s01.reduceLanes(VectorOperators.ADD));
    Epilogues.apply(e, r + 1, c, cols, s10.reduceLanes(VectorOperators.ADD));
    Epilogues.apply(e, r + 1, c + 1, cols, s11.reduceLanes(VectorOperators.ADD));
  }

  private static void tile1x2(int[] a, int a0, short[] b, int b0, int k, Epilogue e, int r, int c, int cols) {
    int b1 = b0 + k;
    IntVector s00 = IntVector.zero(I), s01 = s00;
    for (int x = 0; x < k; x += L) {
      IntVector av = IntVector.fromArray(I, a, a0 + x);
      s00 = s00.add(av.mul(loadB(b, b0 + x)));
      s01 = s01.add(av.mul(loadB(b, b1 + x)));
    }
    Epilogues.apply(e, r, c, cols, s00.reduceLanes(VectorOperators.ADD));
    Epilogues.apply(e, r, c + 1, cols, s01.reduceLanes(VectorOperators.ADD));
  }
}
