package dev.jnmt.intgemm;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * 8-bit kernels on jdk.incubator.vector; {@link ScalarKernels8} is the twin they must match bit for bit.
 *
 * <p>The Vector API has no {@code vpmaddubsw}, so products are formed in 16-bit lanes ({@code vpmullw}): A is
 * already widened to shorts by prepareA, B is widened on load ({@code vpmovsxbw}). Because the layouts put the
 * two members of each intgemm pair at the same position of two halves, one add gives the pair sum: a plain add for
 * Int8 (it cannot overflow), a saturating add ({@code SADD}, {@code vpaddsw}) for Int8Shift (where the pair sum
 * saturates exactly as {@code vpmaddubsw} does).
 *
 * <p>Species are 256-bit (128-bit when the width is 128 or scalar; 512 is capped to 256 because the 16-lane
 * pair structure is AVX2's). A 128-bit vector covers half of the 16 lanes, so each kernel runs once per lane
 * group: lanes stay separate, which keeps Int8's per-lane saturation identical at every width.
 */
final class VectorKernels8 {
  private VectorKernels8() {}

  static final int BITS = VectorWidth.current().bits() >= 256 ? 256 : 128;
  static final VectorSpecies<Short> S = BITS == 256 ? ShortVector.SPECIES_256 : ShortVector.SPECIES_128;
  static final VectorSpecies<Byte> BH = BITS == 256 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
  static final VectorSpecies<Integer> I = BITS == 256 ? IntVector.SPECIES_256 : IntVector.SPECIES_128;
  /** Shorts per vector: 16 or 8. */
  static final int L = S.length();
  /** Chunks whose Int8Shift pair sums can be summed in 16-bit halves before they must be folded to int. */
  private static final int SEGMENT = 256 * 32;

  private static ShortVector loadB(byte[] b, int offset) {
    return (ShortVector) ByteVector.fromArray(BH, b, offset).convertShape(VectorOperators.B2S, S, 0);
  }

  /** Exact 32-bit sum of the 16-bit lanes. */
  static int sumLanes(ShortVector v) {
    IntVector x = v.reinterpretAsInts();
    return lowHalves(x).add(x.lanewise(VectorOperators.ASHR, 16)).reduceLanes(VectorOperators.ADD);
  }

  /**
   * Folds a lane's wrapped 16-bit total {@code w} and its exact sum of high bytes {@code h} (the sum of
   * {@code s >> 8} over at most 256 terms) back into the exact 32-bit total: {@code 256*h + ((w - 256*h) mod
   * 2^16)}, exact because the low-byte sum is below 2^16 for 256 terms.
   */
  static int foldLanes(ShortVector w, ShortVector h) {
    IntVector wi = w.reinterpretAsInts();
    IntVector hi = h.reinterpretAsInts();
    IntVector hLo = lowHalves(hi).lanewise(VectorOperators.LSHL, 8);
    IntVector hHi = hi.lanewise(VectorOperators.ASHR, 16).lanewise(VectorOperators.LSHL, 8);
    IntVector lo = hLo.add(lowHalves(wi).sub(hLo).and(0xFFFF));
    IntVector high = hHi.add(wi.lanewise(VectorOperators.ASHR, 16).sub(hHi).and(0xFFFF));
    return lo.add(high).reduceLanes(VectorOperators.ADD);
  }

  /** The sign-extended low 16-bit halves of each int lane. */
  private static IntVector lowHalves(IntVector x) {
    return x.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16);
  }

  // ---------------------------------------------------------------- Int8

  static void multiply8(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd) {
    short[] av = a.shorts;
    byte[] bv = b.bytes;
    int k = a.cols();
    int rows = a.rows();
    int cols = b.cols();
    for (int c = colStart; c < colEnd; c += 2) {
      int r = 0;
      for (; r + 2 <= rows; r += 2) {
        int8Tile2x2(av, r * k, bv, c * k, k, e, r, c, cols);
      }
      if (r < rows) {
        int8Tile1x2(av, r * k, bv, c * k, k, e, r, c, cols);
      }
    }
  }

  private static void int8Tile2x2(
      short[] a, int a0, byte[] b, int b0, int k, Epilogue e, int r, int c, int cols) {
    int a1 = a0 + k;
    int b1 = b0 + k;
    int t00 = 0, t01 = 0, t10 = 0, t11 = 0;
    for (int g = 0; g < 16; g += L) {
      ShortVector s00 = ShortVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
      for (int x = g; x < k; x += 32) {
        ShortVector be0 = loadB(b, b0 + x);
        ShortVector bo0 = loadB(b, b0 + x + 16);
        ShortVector be1 = loadB(b, b1 + x);
        ShortVector bo1 = loadB(b, b1 + x + 16);
        ShortVector ae = ShortVector.fromArray(S, a, a0 + x);
        ShortVector ao = ShortVector.fromArray(S, a, a0 + x + 16);
        s00 = s00.lanewise(VectorOperators.SADD, ae.mul(be0).add(ao.mul(bo0)));
        s01 = s01.lanewise(VectorOperators.SADD, ae.mul(be1).add(ao.mul(bo1)));
        ae = ShortVector.fromArray(S, a, a1 + x);
        ao = ShortVector.fromArray(S, a, a1 + x + 16);
        s10 = s10.lanewise(VectorOperators.SADD, ae.mul(be0).add(ao.mul(bo0)));
        s11 = s11.lanewise(VectorOperators.SADD, ae.mul(be1).add(ao.mul(bo1)));
      }
      t00 += sumLanes(s00);
      t01 += sumLanes(s01);
      t10 += sumLanes(s10);
      t11 += sumLanes(s11);
    }
    Epilogues.apply(e, r, c, cols, t00);
    Epilogues.apply(e, r, c + 1, cols, t01);
    Epilogues.apply(e, r + 1, c, cols, t10);
    Epilogues.apply(e, r + 1, c + 1, cols, t11);
  }

  private static void int8Tile1x2(
      short[] a, int a0, byte[] b, int b0, int k, Epilogue e, int r, int c, int cols) {
    int b1 = b0 + k;
    int t00 = 0, t01 = 0;
    for (int g = 0; g < 16; g += L) {
      ShortVector s00 = ShortVector.zero(S), s01 = s00;
      for (int x = g; x < k; x += 32) {
        ShortVector ae = ShortVector.fromArray(S, a, a0 + x);
        ShortVector ao = ShortVector.fromArray(S, a, a0 + x + 16);
        s00 = s00.lanewise(VectorOperators.SADD, ae.mul(loadB(b, b0 + x)).add(ao.mul(loadB(b, b0 + x + 16))));
        s01 = s01.lanewise(VectorOperators.SADD, ae.mul(loadB(b, b1 + x)).add(ao.mul(loadB(b, b1 + x + 16))));
      }
      t00 += sumLanes(s00);
      t01 += sumLanes(s01);
    }
    Epilogues.apply(e, r, c, cols, t00);
    Epilogues.apply(e, r, c + 1, cols, t01);
  }

  // ---------------------------------------------------------------- Int8Shift

  static void multiplyShift(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd) {
    short[] av = a.shorts;
    byte[] bv = b.bytes;
    int k = a.cols();
    int rows = a.rows();
    int cols = b.cols();
    for (int c = colStart; c < colEnd; c += 2) {
      int r = 0;
      for (; r + 2 <= rows; r += 2) {
        shiftTile2x2(av, r * k, bv, c * k, k, e, r, c, cols);
      }
      if (r < rows) {
        shiftTile1x2(av, r * k, bv, c * k, k, e, r, c, cols);
      }
    }
  }

  /*
   * Int8Shift pair sums s are exact 16-bit values, but their sum needs 32 bits. Instead of widening every s
   * (5 instructions), each lane keeps the wrapped 16-bit sum w += s and the sum of high bytes h += s >> 8 (3
   * instructions); foldLanes recovers the exact total from (w, h) every 256 chunks.
   */
  private static void shiftTile2x2(
      short[] a, int a0, byte[] b, int b0, int k, Epilogue e, int r, int c, int cols) {
    int a1 = a0 + k;
    int b1 = b0 + k;
    int t00 = 0, t01 = 0, t10 = 0, t11 = 0;
    for (int g = 0; g < 16; g += L) {
      for (int seg = 0; seg < k; seg += SEGMENT) {
        int end = Math.min(k, seg + SEGMENT);
        ShortVector w00 = ShortVector.zero(S), w01 = w00, w10 = w00, w11 = w00;
        ShortVector h00 = w00, h01 = w00, h10 = w00, h11 = w00;
        for (int x = seg + g; x < end; x += 32) {
          ShortVector be0 = loadB(b, b0 + x);
          ShortVector bo0 = loadB(b, b0 + x + 16);
          ShortVector be1 = loadB(b, b1 + x);
          ShortVector bo1 = loadB(b, b1 + x + 16);
          ShortVector ae = ShortVector.fromArray(S, a, a0 + x);
          ShortVector ao = ShortVector.fromArray(S, a, a0 + x + 16);
          ShortVector s = ae.mul(be0).lanewise(VectorOperators.SADD, ao.mul(bo0));
          w00 = w00.add(s);
          h00 = h00.add(s.lanewise(VectorOperators.ASHR, 8));
          s = ae.mul(be1).lanewise(VectorOperators.SADD, ao.mul(bo1));
          w01 = w01.add(s);
          h01 = h01.add(s.lanewise(VectorOperators.ASHR, 8));
          ae = ShortVector.fromArray(S, a, a1 + x);
          ao = ShortVector.fromArray(S, a, a1 + x + 16);
          s = ae.mul(be0).lanewise(VectorOperators.SADD, ao.mul(bo0));
          w10 = w10.add(s);
          h10 = h10.add(s.lanewise(VectorOperators.ASHR, 8));
          s = ae.mul(be1).lanewise(VectorOperators.SADD, ao.mul(bo1));
          w11 = w11.add(s);
          h11 = h11.add(s.lanewise(VectorOperators.ASHR, 8));
        }
        t00 += foldLanes(w00, h00);
        t01 += foldLanes(w01, h01);
        t10 += foldLanes(w10, h10);
        t11 += foldLanes(w11, h11);
      }
    }
    Epilogues.apply(e, r, c, cols, t00);
    Epilogues.apply(e, r, c + 1, cols, t01);
    Epilogues.apply(e, r + 1, c, cols, t10);
    Epilogues.apply(e, r + 1, c + 1, cols, t11);
  }

  private static void shiftTile1x2(
      short[] a, int a0, byte[] b, int b0, int k, Epilogue e, int r, int c, int cols) {
    int b1 = b0 + k;
    int t00 = 0, t01 = 0;
    for (int g = 0; g < 16; g += L) {
      for (int seg = 0; seg < k; seg += SEGMENT) {
        int end = Math.min(k, seg + SEGMENT);
        ShortVector w00 = ShortVector.zero(S), w01 = w00, h00 = w00, h01 = w00;
        for (int x = seg + g; x < end; x += 32) {
          ShortVector ae = ShortVector.fromArray(S, a, a0 + x);
          ShortVector ao = ShortVector.fromArray(S, a, a0 + x + 16);
          ShortVector s = ae.mul(loadB(b, b0 + x)).lanewise(VectorOperators.SADD, ao.mul(loadB(b, b0 + x + 16)));
          w00 = w00.add(s);
          h00 = h00.add(s.lanewise(VectorOperators.ASHR, 8));
          s = ae.mul(loadB(b, b1 + x)).lanewise(VectorOperators.SADD, ao.mul(loadB(b, b1 + x + 16)));
          w01 = w01.add(s);
          h01 = h01.add(s.lanewise(VectorOperators.ASHR, 8));
        }
        t00 += foldLanes(w00, h00);
        t01 += foldLanes(w01, h01);
      }
    }
    Epilogues.apply(e, r, c, cols, t00);
    Epilogues.apply(e, r, c + 1, cols, t01);
  }
}
