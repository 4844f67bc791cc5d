// Over 400 lines: intgemm's 8-bit tiles are written out one by one (fast and general panels, Int8 and
// Int8Shift) so that C2 keeps the accumulators in registers; see BENCHMARKS.md, JIT robustness.
package dev.jnmt.intgemm;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.ASHR;
import static jdk.incubator.vector.VectorOperators.B2S;
import static jdk.incubator.vector.VectorOperators.LSHL;
import static jdk.incubator.vector.VectorOperators.MUL;
import static jdk.incubator.vector.VectorOperators.S2I;
import static jdk.incubator.vector.VectorOperators.SADD;
import static jdk.incubator.vector.VectorOperators.ZERO_EXTEND_S2I;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * 8-bit kernels on jdk.incubator.vector; {@link ScalarKernels8} is the twin they must match bit for bit.
 *
 * <p>The Vector API has no {@code vpmaddubsw}, so products are formed in 16-bit lanes ({@code vpmullw}): A is
 * widened to shorts once by prepareA, B is widened on load ({@code vpmovsxbw}). Because the layouts put the two
 * members of each intgemm pair at the same position of two halves, one add gives the pair sum: a plain add for
 * Int8 (it cannot overflow), a saturating add ({@code SADD}, {@code vpaddsw}) for Int8Shift, where it saturates
 * exactly as {@code vpmaddubsw} does.
 *
 * <p>B is read in its 4-column groups ({@link PreparedB#column8}): column j of a panel starts at
 * {@code b0 + 32 * j} and its chunk at k-offset x lies {@code 4 * x} further.
 *
 * <p>Species are 256-bit (128-bit when the width is 128 or scalar; 512 is capped at 256 because the 16-lane pair
 * structure is AVX2's). A 128-bit vector covers half of the 16 lanes, so each tile runs once per lane group
 * {@code g}: lanes never mix, which keeps Int8's per-lane saturation identical at every width.
 *
 * <p>Code shape matters more than instruction count here (see BENCHMARKS.md):
 *
 * <ul>
 *   <li>No vector crosses a method boundary: a vector passed to or returned from a helper that C2 declines to
 *       inline is boxed inside the loop, a 5-100x slowdown. Loads are written inline; each fast tile's k loop is
 *       a method of its own that ends by storing its accumulators to a per-thread array, and the panel reduces
 *       them from there ({@code laneSum}, {@code foldShift}: array in, number out).
 *   <li>Run with {@code -XX:TypeProfileLevel=222}. The binary-op, load and convert intrinsics are expanded
 *       after parsing, so while C2 parses a tile the result of each Vector API call has only its declared type
 *       ({@code ShortVector}), and calls made on it are bound through the receiver profile, guarded by a class
 *       check. With the JVM's default TypeProfileLevel (111) whether those checks fold depends on the profile
 *       at compile time; when one does not, the loop-carried accumulators are boxed on every iteration (a
 *       short[] and a vector object per add): in about half of the JVM runs of GemmBench Int8Shift
 *       128x2048x512 the tile ran 4-10x slower, and {@code -XX:-TieredCompilation} made it fail every time.
 *       Level 222 profiles argument and return types at every call site, not only at method-handle ones; with
 *       it no run degraded (BENCHMARKS.md, "JIT robustness"; {@code benchmarks/jit-check.sh} checks it).
 *   <li>Tiles call {@code lanewise(MUL, v)} and {@code lanewise(ADD, v)}, never the {@code mul}/{@code add}
 *       conveniences, whose declared {@code ShortVector} result adds one more such bound call.
 *   <li>Tiles stay small: about 30-50 Vector API calls. Larger Int8 tiles, 2 x 4 (~60 calls) and 4 x 2 (~44),
 *       were only 3-8% faster in their good JVM runs and degraded in 13 of 24 and 10 of 27 JMH forks even
 *       with TypeProfileLevel=222.
 *   <li>The fast panels store {@code (float) sum} into the float output and {@link Epilogues#finish} applies the
 *       rest of the epilogue in a separate vector pass: an inlined
 *       epilogue costs ~8% and pushed the former 2 x 4 tile over the node budget, and even a branch between an int and a
 *       float destination costs ~20% (one more live register in the loop). Int32 output therefore takes the
 *       general panels, which are slower; it exists for tests and diagnostics.
 *   <li>Each "panel" method loops over a block of {@value #COLUMN_BLOCK} columns (and all rows) itself, so per-tile
 *       setup is paid once per panel call.
 *   <li>The fast panels have no lane-group or segment loop (~9%); only the general panels, used at 128-bit width,
 *       for Int8Shift with K above {@value #SEGMENT} and for int32 output, have them.
 * </ul>
 */
final class VectorKernels8 {

  static {
    JvmCheck.warnAboutTypeProfileLevelOnce();
  }

  private VectorKernels8() {}

  static final int BITS = VectorWidth.current().bits() >= 256 ? 256 : 128;
  static final VectorSpecies<Short> S = BITS == 256 ? ShortVector.SPECIES_256 : ShortVector.SPECIES_128;
  static final VectorSpecies<Byte> BH = BITS == 256 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
  static final VectorSpecies<Integer> I = BITS == 256 ? IntVector.SPECIES_256 : IntVector.SPECIES_128;
  /** Shorts per vector: 16 or 8. */
  static final int L = S.length();
  /**
   * k-values per Int8Shift segment: 256 chunks of 32, the most whose high-byte sums fit 16 bits and whose
   * low-byte sums stay below 2^16 (see {@link #multiplyShift}).
   */
  static final int SEGMENT = 256 * 32;
  /**
   * Columns per panel call. Panels are called once per block rather than once per multiply so that C2 sees
   * their loops exit while profiling: a panel first compiled during one huge call (M = 128, N = 32000) was
   * deoptimized at its first loop exit and then ran at C1 speed (~100x slower) for seconds.
   */
  static final int COLUMN_BLOCK = 16;

  // ---------------------------------------------------------------- drivers

  /*
   * Int8: s = sat16(s + pair), one accumulator per (row, column), which is intgemm's vpaddsw lane for lane.
   * Fast panels: 2 rows x 2 columns (B widened once for two rows) and 1 x 4 for a single or last odd row.
   */
  static void multiply8(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd) {
    short[] av = a.shorts;
    byte[] bv = b.bytes;
    int k = a.cols();
    int rows = a.rows();
    int cols = b.cols();
    float[] fo = Epilogues.floatOut(e);
    int[] io = Epilogues.intOut(e);
    if (L == 16 && io == null) {
      short[] acc = ACCUMULATORS.get();
      int even = rows & ~1;
      for (int c0 = colStart; c0 < colEnd; c0 += COLUMN_BLOCK) {
        int c1 = Math.min(colEnd, c0 + COLUMN_BLOCK);
        int8Panel2x2(av, bv, k, even, c0, c1, cols, fo, acc);
        if (even < rows) {
          int8Panel1x4(av, bv, k, even, c0, c1, cols, fo, acc);
        }
      }
    } else {
      for (int c0 = colStart; c0 < colEnd; c0 += COLUMN_BLOCK) {
        int c1 = Math.min(colEnd, c0 + COLUMN_BLOCK);
        for (int r = 0; r < rows; r++) {
          int8Panel1x4General(av, bv, k, r, c0, c1, cols, fo, io);
        }
      }
    }
    Epilogues.finish(e, rows, cols, colStart, colEnd);
  }

  /*
   * Int8Shift pair sums s are exact 16-bit values (vpaddsw saturates them as vpmaddubsw does), but their total
   * needs 32 bits. Widening every s costs 5 instructions; instead each lane keeps the wrapped 16-bit sum
   * w += s and the sum of high bytes h += s >> 8 (3 instructions). Over at most 256 chunks h cannot overflow
   * (|h| <= 256 * 128) and the low bytes sum to less than 2^16, so the exact total of a lane is
   * 256 * h + ((w - 256 * h) mod 2^16), folded once per segment of 256 chunks.
   * Fast panels: 2 x 2, and 1 x 4 for a single or last odd row.
   */
  static void multiplyShift(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd) {
    short[] av = a.shorts;
    byte[] bv = b.bytes;
    int k = a.cols();
    int rows = a.rows();
    int cols = b.cols();
    float[] fo = Epilogues.floatOut(e);
    int[] io = Epilogues.intOut(e);
    if (L == 16 && k <= SEGMENT && io == null) {
      short[] acc = ACCUMULATORS.get();
      int even = rows & ~1;
      for (int c0 = colStart; c0 < colEnd; c0 += COLUMN_BLOCK) {
        int c1 = Math.min(colEnd, c0 + COLUMN_BLOCK);
        shiftPanel2x2(av, bv, k, even, c0, c1, cols, fo, acc);
        if (even < rows) {
          shiftPanel1x4(av, bv, k, even, c0, c1, cols, fo, acc);
        }
      }
    } else {
      for (int c0 = colStart; c0 < colEnd; c0 += COLUMN_BLOCK) {
        int c1 = Math.min(colEnd, c0 + COLUMN_BLOCK);
        for (int r = 0; r < rows; r++) {
          shiftPanel1x2General(av, bv, k, r, c0, c1, cols, fo, io);
        }
      }
    }
    Epilogues.finish(e, rows, cols, colStart, colEnd);
  }

  // ---------------------------------------------------------------- panels

  /**
   * Per-thread store for a tile's accumulators (8 vectors of 16 shorts): the tile methods end by writing their
   * accumulators here and the panels reduce them, so no vector crosses a method boundary and the tile
   * methods stay small (see the class comment). Fetched once per multiply call.
   */
  private static final ThreadLocal<short[]> ACCUMULATORS = ThreadLocal.withInitial(() -> new short[8 * 16]);

  private static void int8Panel2x2(
      short[] a, byte[] b, int k, int rowEnd, int colStart, int colEnd, int cols,
      float[] out, short[] acc) {
    for (int c = colStart; c < colEnd; c += 2) {
      for (int r = 0; r < rowEnd; r += 2) {
        int8Tile2x2(a, b, k, r * k, (c >> 2) * 4 * k + (c & 3) * 32, acc);
        int o = r * cols + c;
        out[o] = laneSum(acc, 0);
        out[o + 1] = laneSum(acc, 16);
        out[o + cols] = laneSum(acc, 32);
        out[o + cols + 1] = laneSum(acc, 48);
      }
    }
  }

  /**
   * The k loop of a 2 x 2 Int8 tile: rows at a0 and a0 + k, columns at b0 and b0 + 32; writes the 4 lane
   * accumulators (row-major) to acc. Not 2 x 4 or 4 x 2, although those widen or load less per product: they
   * were at most 8% faster and degraded in about half of the JVM runs (see the class comment).
   */
  private static void int8Tile2x2(short[] a, byte[] b, int k, int a0, int b0, short[] acc) {
    int a1 = a0 + k;
    int b1 = b0 + 32;
    ShortVector z = ShortVector.zero(S);
    ShortVector s00 = z, s01 = z, s10 = z, s11 = z;
    for (int x = 0; x < k; x += 32) {
      ShortVector be0 = (ShortVector) ByteVector.fromArray(BH, b, b0 + 4 * x).convertShape(B2S, S, 0);
      ShortVector bo0 = (ShortVector) ByteVector.fromArray(BH, b, b0 + 4 * x + 16).convertShape(B2S, S, 0);
      ShortVector be1 = (ShortVector) ByteVector.fromArray(BH, b, b1 + 4 * x).convertShape(B2S, S, 0);
      ShortVector bo1 = (ShortVector) ByteVector.fromArray(BH, b, b1 + 4 * x + 16).convertShape(B2S, S, 0);
      ShortVector ae = ShortVector.fromArray(S, a, a0 + x);
      ShortVector ao = ShortVector.fromArray(S, a, a0 + x + 16);
      s00 = s00.lanewise(SADD, ae.lanewise(MUL, be0).lanewise(ADD, ao.lanewise(MUL, bo0)));
      s01 = s01.lanewise(SADD, ae.lanewise(MUL, be1).lanewise(ADD, ao.lanewise(MUL, bo1)));
      ae = ShortVector.fromArray(S, a, a1 + x);
      ao = ShortVector.fromArray(S, a, a1 + x + 16);
      s10 = s10.lanewise(SADD, ae.lanewise(MUL, be0).lanewise(ADD, ao.lanewise(MUL, bo0)));
      s11 = s11.lanewise(SADD, ae.lanewise(MUL, be1).lanewise(ADD, ao.lanewise(MUL, bo1)));
    }
    s00.intoArray(acc, 0);
    s01.intoArray(acc, 16);
    s10.intoArray(acc, 32);
    s11.intoArray(acc, 48);
  }

  private static void int8Panel1x4(
      short[] a, byte[] b, int k, int r, int colStart, int colEnd, int cols,
      float[] out, short[] acc) {
    for (int c = colStart; c < colEnd; c += 4) {
      int8Tile1x4(a, b, k, r * k, (c >> 2) * 4 * k + (c & 3) * 32, acc);
      int o = r * cols + c;
      out[o] = laneSum(acc, 0);
      out[o + 1] = laneSum(acc, 16);
      out[o + 2] = laneSum(acc, 32);
      out[o + 3] = laneSum(acc, 48);
    }
  }

  /** The k loop of a 1 x 4 Int8 tile; writes the 4 lane accumulators to acc. */
  private static void int8Tile1x4(short[] a, byte[] b, int k, int a0, int b0, short[] acc) {
    int b1 = b0 + 32;
    int b2 = b1 + 32;
    int b3 = b2 + 32;
    ShortVector z = ShortVector.zero(S);
    ShortVector s00 = z, s01 = z, s02 = z, s03 = z;
    for (int x = 0; x < k; x += 32) {
      ShortVector ae = ShortVector.fromArray(S, a, a0 + x);
      ShortVector ao = ShortVector.fromArray(S, a, a0 + x + 16);
      ShortVector pe0 = ae.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b0 + 4 * x).convertShape(B2S, S, 0));
      s00 = s00.lanewise(SADD, pe0.lanewise(ADD, ao.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b0 + 4 * x + 16).convertShape(B2S, S, 0))));
      ShortVector pe1 = ae.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b1 + 4 * x).convertShape(B2S, S, 0));
      s01 = s01.lanewise(SADD, pe1.lanewise(ADD, ao.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b1 + 4 * x + 16).convertShape(B2S, S, 0))));
      ShortVector pe2 = ae.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b2 + 4 * x).convertShape(B2S, S, 0));
      s02 = s02.lanewise(SADD, pe2.lanewise(ADD, ao.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b2 + 4 * x + 16).convertShape(B2S, S, 0))));
      ShortVector pe3 = ae.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b3 + 4 * x).convertShape(B2S, S, 0));
      s03 = s03.lanewise(SADD, pe3.lanewise(ADD, ao.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b3 + 4 * x + 16).convertShape(B2S, S, 0))));
    }
    s00.intoArray(acc, 0);
    s01.intoArray(acc, 16);
    s02.intoArray(acc, 32);
    s03.intoArray(acc, 48);
  }

  /** The 32-bit sum of the 16 shorts at acc[o..o+16): Int8's final vpmaddwd-with-ones and lane sum. */
  private static float laneSum(short[] acc, int o) {
    ShortVector s = ShortVector.fromArray(S, acc, o);
    return (float)
        ((IntVector) s.convertShape(S2I, I, 0)).add((IntVector) s.convertShape(S2I, I, 1)).reduceLanes(ADD);
  }

  private static void int8Panel1x4General(
      short[] a, byte[] b, int k, int r, int colStart, int colEnd, int cols,
      float[] fo, int[] io) {
    for (int c = colStart; c < colEnd; c += 4) {
      int a0 = r * k;
      int b0 = (c >> 2) * 4 * k + (c & 3) * 32;
      int b1 = b0 + 32;
      int b2 = b1 + 32;
      int b3 = b2 + 32;
      int t00 = 0; int t01 = 0; int t02 = 0; int t03 = 0;
      for (int g = 0; g < 16; g += L) {
        ShortVector z = ShortVector.zero(S);
        ShortVector s00 = z, s01 = z, s02 = z, s03 = z;
        for (int x = 0; x < k; x += 32) {
          ShortVector ae = ShortVector.fromArray(S, a, a0 + x + g);
          ShortVector ao = ShortVector.fromArray(S, a, a0 + x + 16 + g);
          ShortVector pe0 = ae.mul((ShortVector) ByteVector.fromArray(BH, b, b0 + 4 * x + g).convertShape(B2S, S, 0));
          s00 = s00.lanewise(SADD, pe0.add(ao.mul((ShortVector) ByteVector.fromArray(BH, b, b0 + 4 * x + 16 + g).convertShape(B2S, S, 0))));
          ShortVector pe1 = ae.mul((ShortVector) ByteVector.fromArray(BH, b, b1 + 4 * x + g).convertShape(B2S, S, 0));
          s01 = s01.lanewise(SADD, pe1.add(ao.mul((ShortVector) ByteVector.fromArray(BH, b, b1 + 4 * x + 16 + g).convertShape(B2S, S, 0))));
          ShortVector pe2 = ae.mul((ShortVector) ByteVector.fromArray(BH, b, b2 + 4 * x + g).convertShape(B2S, S, 0));
          s02 = s02.lanewise(SADD, pe2.add(ao.mul((ShortVector) ByteVector.fromArray(BH, b, b2 + 4 * x + 16 + g).convertShape(B2S, S, 0))));
          ShortVector pe3 = ae.mul((ShortVector) ByteVector.fromArray(BH, b, b3 + 4 * x + g).convertShape(B2S, S, 0));
          s03 = s03.lanewise(SADD, pe3.add(ao.mul((ShortVector) ByteVector.fromArray(BH, b, b3 + 4 * x + 16 + g).convertShape(B2S, S, 0))));
        }
        t00 += ((IntVector) s00.convertShape(S2I, I, 0))
            .add((IntVector) s00.convertShape(S2I, I, 1))
            .reduceLanes(ADD);
        t01 += ((IntVector) s01.convertShape(S2I, I, 0))
            .add((IntVector) s01.convertShape(S2I, I, 1))
            .reduceLanes(ADD);
        t02 += ((IntVector) s02.convertShape(S2I, I, 0))
            .add((IntVector) s02.convertShape(S2I, I, 1))
            .reduceLanes(ADD);
        t03 += ((IntVector) s03.convertShape(S2I, I, 0))
            .add((IntVector) s03.convertShape(S2I, I, 1))
            .reduceLanes(ADD);
      }
      Epilogues.store(fo, io, r * cols + c, t00);
      Epilogues.store(fo, io, r * cols + c + 1, t01);
      Epilogues.store(fo, io, r * cols + c + 2, t02);
      Epilogues.store(fo, io, r * cols + c + 3, t03);
    }
  }

  private static void shiftPanel2x2(
      short[] a, byte[] b, int k, int rowEnd, int colStart, int colEnd, int cols,
      float[] out, short[] acc) {
    for (int c = colStart; c < colEnd; c += 2) {
      for (int r = 0; r < rowEnd; r += 2) {
        shiftTile2x2(a, b, k, r * k, (c >> 2) * 4 * k + (c & 3) * 32, acc);
        int o = r * cols + c;
        out[o] = foldShift(acc, 0);
        out[o + 1] = foldShift(acc, 32);
        out[o + cols] = foldShift(acc, 64);
        out[o + cols + 1] = foldShift(acc, 96);
      }
    }
  }

  /**
   * The k loop of a 2 x 2 Int8Shift tile (rows a0 and a0 + k, columns b0 and b0 + 32); writes, per (row,
   * column), the wrapped sum w and then the high-byte sum h (see {@link #multiplyShift}) to acc.
   */
  private static void shiftTile2x2(short[] a, byte[] b, int k, int a0, int b0, short[] acc) {
    int a1 = a0 + k;
    int b1 = b0 + 32;
    ShortVector z = ShortVector.zero(S);
    ShortVector w00 = z, w01 = z, w10 = z, w11 = z;
    ShortVector h00 = z, h01 = z, h10 = z, h11 = z;
    for (int x = 0; x < k; x += 32) {
      ShortVector be0 = (ShortVector) ByteVector.fromArray(BH, b, b0 + 4 * x).convertShape(B2S, S, 0);
      ShortVector bo0 = (ShortVector) ByteVector.fromArray(BH, b, b0 + 4 * x + 16).convertShape(B2S, S, 0);
      ShortVector be1 = (ShortVector) ByteVector.fromArray(BH, b, b1 + 4 * x).convertShape(B2S, S, 0);
      ShortVector bo1 = (ShortVector) ByteVector.fromArray(BH, b, b1 + 4 * x + 16).convertShape(B2S, S, 0);
      ShortVector ae = ShortVector.fromArray(S, a, a0 + x);
      ShortVector ao = ShortVector.fromArray(S, a, a0 + x + 16);
      ShortVector s = ae.lanewise(MUL, be0).lanewise(SADD, ao.lanewise(MUL, bo0));
      w00 = w00.lanewise(ADD, s);
      h00 = h00.lanewise(ADD, s.lanewise(ASHR, 8));
      s = ae.lanewise(MUL, be1).lanewise(SADD, ao.lanewise(MUL, bo1));
      w01 = w01.lanewise(ADD, s);
      h01 = h01.lanewise(ADD, s.lanewise(ASHR, 8));
      ae = ShortVector.fromArray(S, a, a1 + x);
      ao = ShortVector.fromArray(S, a, a1 + x + 16);
      s = ae.lanewise(MUL, be0).lanewise(SADD, ao.lanewise(MUL, bo0));
      w10 = w10.lanewise(ADD, s);
      h10 = h10.lanewise(ADD, s.lanewise(ASHR, 8));
      s = ae.lanewise(MUL, be1).lanewise(SADD, ao.lanewise(MUL, bo1));
      w11 = w11.lanewise(ADD, s);
      h11 = h11.lanewise(ADD, s.lanewise(ASHR, 8));
    }
    w00.intoArray(acc, 0);
    h00.intoArray(acc, 16);
    w01.intoArray(acc, 32);
    h01.intoArray(acc, 48);
    w10.intoArray(acc, 64);
    h10.intoArray(acc, 80);
    w11.intoArray(acc, 96);
    h11.intoArray(acc, 112);
  }

  private static void shiftPanel1x4(
      short[] a, byte[] b, int k, int r, int colStart, int colEnd, int cols,
      float[] out, short[] acc) {
    for (int c = colStart; c < colEnd; c += 4) {
      shiftTile1x4(a, b, k, r * k, (c >> 2) * 4 * k + (c & 3) * 32, acc);
      int o = r * cols + c;
      out[o] = foldShift(acc, 0);
      out[o + 1] = foldShift(acc, 32);
      out[o + 2] = foldShift(acc, 64);
      out[o + 3] = foldShift(acc, 96);
    }
  }

  /** The k loop of a 1 x 4 Int8Shift tile; writes w and h of each column to acc, as {@link #shiftTile2x2}. */
  private static void shiftTile1x4(short[] a, byte[] b, int k, int a0, int b0, short[] acc) {
    int b1 = b0 + 32;
    int b2 = b1 + 32;
    int b3 = b2 + 32;
    ShortVector z = ShortVector.zero(S);
    ShortVector w00 = z, w01 = z, w02 = z, w03 = z;
    ShortVector h00 = z, h01 = z, h02 = z, h03 = z;
    for (int x = 0; x < k; x += 32) {
      ShortVector ae = ShortVector.fromArray(S, a, a0 + x);
      ShortVector ao = ShortVector.fromArray(S, a, a0 + x + 16);
      ShortVector pe0 = ae.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b0 + 4 * x).convertShape(B2S, S, 0));
      ShortVector s = pe0.lanewise(SADD, ao.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b0 + 4 * x + 16).convertShape(B2S, S, 0)));
      w00 = w00.lanewise(ADD, s);
      h00 = h00.lanewise(ADD, s.lanewise(ASHR, 8));
      ShortVector pe1 = ae.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b1 + 4 * x).convertShape(B2S, S, 0));
      s = pe1.lanewise(SADD, ao.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b1 + 4 * x + 16).convertShape(B2S, S, 0)));
      w01 = w01.lanewise(ADD, s);
      h01 = h01.lanewise(ADD, s.lanewise(ASHR, 8));
      ShortVector pe2 = ae.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b2 + 4 * x).convertShape(B2S, S, 0));
      s = pe2.lanewise(SADD, ao.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b2 + 4 * x + 16).convertShape(B2S, S, 0)));
      w02 = w02.lanewise(ADD, s);
      h02 = h02.lanewise(ADD, s.lanewise(ASHR, 8));
      ShortVector pe3 = ae.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b3 + 4 * x).convertShape(B2S, S, 0));
      s = pe3.lanewise(SADD, ao.lanewise(MUL, (ShortVector) ByteVector.fromArray(BH, b, b3 + 4 * x + 16).convertShape(B2S, S, 0)));
      w03 = w03.lanewise(ADD, s);
      h03 = h03.lanewise(ADD, s.lanewise(ASHR, 8));
    }
    w00.intoArray(acc, 0);
    h00.intoArray(acc, 16);
    w01.intoArray(acc, 32);
    h01.intoArray(acc, 48);
    w02.intoArray(acc, 64);
    h02.intoArray(acc, 80);
    w03.intoArray(acc, 96);
    h03.intoArray(acc, 112);
  }

  /**
   * The exact 32-bit total of one Int8Shift (row, column) from its wrapped sum w at acc[o..o+16) and high-byte
   * sum h at acc[o+16..o+32): 256 * sum(h) + sum((w - 256 * h) mod 2^16).
   */
  private static float foldShift(short[] acc, int o) {
    ShortVector w = ShortVector.fromArray(S, acc, o);
    ShortVector h = ShortVector.fromArray(S, acc, o + 16);
    ShortVector l = w.sub(h.lanewise(LSHL, 8));
    return (float)
        ((IntVector) h.convertShape(S2I, I, 0))
            .add((IntVector) h.convertShape(S2I, I, 1))
            .lanewise(LSHL, 8)
            .add((IntVector) l.convertShape(ZERO_EXTEND_S2I, I, 0))
            .add((IntVector) l.convertShape(ZERO_EXTEND_S2I, I, 1))
            .reduceLanes(ADD);
  }

  private static void shiftPanel1x2General(
      short[] a, byte[] b, int k, int r, int colStart, int colEnd, int cols,
      float[] fo, int[] io) {
    for (int c = colStart; c < colEnd; c += 2) {
      int a0 = r * k;
      int b0 = (c >> 2) * 4 * k + (c & 3) * 32;
      int b1 = b0 + 32;
      int t00 = 0; int t01 = 0;
      for (int g = 0; g < 16; g += L) {
        for (int seg = 0; seg < k; seg += SEGMENT) {
          int end = Math.min(k, seg + SEGMENT);
          ShortVector z = ShortVector.zero(S);
          ShortVector w00 = z, w01 = z;
          ShortVector h00 = z, h01 = z;
          for (int x = seg; x < end; x += 32) {
            ShortVector ae = ShortVector.fromArray(S, a, a0 + x + g);
            ShortVector ao = ShortVector.fromArray(S, a, a0 + x + 16 + g);
            ShortVector pe0 = ae.mul((ShortVector) ByteVector.fromArray(BH, b, b0 + 4 * x + g).convertShape(B2S, S, 0));
            ShortVector s = pe0.lanewise(SADD, ao.mul((ShortVector) ByteVector.fromArray(BH, b, b0 + 4 * x + 16 + g).convertShape(B2S, S, 0)));
            w00 = w00.add(s);
            h00 = h00.add(s.lanewise(ASHR, 8));
            ShortVector pe1 = ae.mul((ShortVector) ByteVector.fromArray(BH, b, b1 + 4 * x + g).convertShape(B2S, S, 0));
            s = pe1.lanewise(SADD, ao.mul((ShortVector) ByteVector.fromArray(BH, b, b1 + 4 * x + 16 + g).convertShape(B2S, S, 0)));
            w01 = w01.add(s);
            h01 = h01.add(s.lanewise(ASHR, 8));
          }
          ShortVector l00 = w00.sub(h00.lanewise(LSHL, 8));
          t00 += ((IntVector) h00.convertShape(S2I, I, 0))
              .add((IntVector) h00.convertShape(S2I, I, 1))
              .lanewise(LSHL, 8)
              .add((IntVector) l00.convertShape(ZERO_EXTEND_S2I, I, 0))
              .add((IntVector) l00.convertShape(ZERO_EXTEND_S2I, I, 1))
              .reduceLanes(ADD);
          ShortVector l01 = w01.sub(h01.lanewise(LSHL, 8));
          t01 += ((IntVector) h01.convertShape(S2I, I, 0))
              .add((IntVector) h01.convertShape(S2I, I, 1))
              .lanewise(LSHL, 8)
              .add((IntVector) l01.convertShape(ZERO_EXTEND_S2I, I, 0))
              .add((IntVector) l01.convertShape(ZERO_EXTEND_S2I, I, 1))
              .reduceLanes(ADD);
        }
      }
      Epilogues.store(fo, io, r * cols + c, t00);
      Epilogues.store(fo, io, r * cols + c + 1, t01);
    }
  }

}
