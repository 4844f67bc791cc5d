package dev.jnmt.intgemm;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector quantization; {@link ScalarQuantize} is its twin and defines the semantics (x86 {@code cvtps2dq} +
 * saturating packs). Rounding half to even uses the magic constant 1.5 * 2^23: after clamping to the target
 * range, {@code (v + M) - M} rounds {@code v} to an integer under Java's round-to-nearest-even float addition,
 * exact for |v| < 2^22. NaN and {@code v >= 2^31} are blended to the most negative value, as cvtps2dq's
 * INT_MIN saturates.
 *
 * <p>As in the kernels, no helper takes or returns a vector: the quantization step is repeated inline.
 */
final class VectorQuantize {
  private VectorQuantize() {}

  /**
   * The float width of the process's other float kernels (512 bits where the CPU has it), for the reason given
   * at {@link VectorEpilogues#F}; every step here is elementwise or a fixed lane permutation, so the results
   * are the same bits at every width.
   */
  static final int BITS = Math.max(128, Math.min(512, VectorWidth.current().bits()));
  static final VectorSpecies<Float> F = FloatVector.SPECIES_128.withShape(VectorShape.forBitSize(BITS));
  static final VectorSpecies<Integer> I = IntVector.SPECIES_128.withShape(VectorShape.forBitSize(BITS));
  static final VectorSpecies<Short> SH = ShortVector.SPECIES_64.withShape(VectorShape.forBitSize(BITS / 2));
  /** Bytes for one vector of ints: 16 at 512 bits, 8 at 256; at 128 bits the 4 bytes fill half a 64-bit vector. */
  static final VectorSpecies<Byte> BY = BITS == 512 ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
  /** Floats per vector: 16, 8 or 4. */
  static final int L = F.length();
  private static final float MAGIC = 12582912f;
  /** Two-vector shuffles taking the even (odd) lanes of a pair of vectors: indexes below 0 select the second. */
  private static final VectorShuffle<Integer> EVENS = pairLanes(0);
  private static final VectorShuffle<Integer> ODDS = pairLanes(1);

  private static VectorShuffle<Integer> pairLanes(int parity) {
    int n = I.length();
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      int from = 2 * i + parity;
      idx[i] = from < n ? from : from - 2 * n;
    }
    return VectorShuffle.fromValues(I, idx);
  }

  static float maxAbsolute(float[] x, int from, int to) {
    int n = to - from;
    FloatVector max = FloatVector.zero(F);
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += L) {
      max = max.max(FloatVector.fromArray(F, x, from + i).abs());
    }
    float m = max.reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      m = Math.max(m, Math.abs(x[from + i]));
    }
    return m;
  }

  static void quantize8(float[] in, int inOffset, byte[] out, int outOffset, int count, float quantMult) {
    int i = 0;
    for (int bound = F.loopBound(count); i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(F, in, inOffset + i).mul(quantMult);
      VectorMask<Float> special = v.compare(VectorOperators.NE, v).or(v.compare(VectorOperators.GE, ScalarQuantize.TWO_POW_31));
      FloatVector r = v.max(-127f).min(127f).add(MAGIC).sub(MAGIC);
      IntVector q = ((IntVector) r.convert(VectorOperators.F2I, 0)).blend(-127, special.cast(I));
      ByteVector bytes = (ByteVector) q.convertShape(VectorOperators.I2B, BY, 0);
      if (L == BY.length()) {
        bytes.intoArray(out, outOffset + i);
      } else {
        bytes.intoArray(out, outOffset + i, BY.indexInRange(0, L));
      }
    }
    for (; i < count; i++) {
      out[outOffset + i] = (byte) ScalarQuantize.quantize8(in[inOffset + i], quantMult);
    }
  }

  static void quantize16(float[] in, int inOffset, short[] out, int outOffset, int count, float quantMult) {
    int i = 0;
    for (int bound = F.loopBound(count); i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(F, in, inOffset + i).mul(quantMult);
      VectorMask<Float> special = v.compare(VectorOperators.NE, v).or(v.compare(VectorOperators.GE, ScalarQuantize.TWO_POW_31));
      FloatVector r = v.max(-32768f).min(32767f).add(MAGIC).sub(MAGIC);
      IntVector q = ((IntVector) r.convert(VectorOperators.F2I, 0)).blend(-32768, special.cast(I));
      ((ShortVector) q.convertShape(VectorOperators.I2S, SH, 0)).intoArray(out, outOffset + i);
    }
    for (; i < count; i++) {
      out[outOffset + i] = (short) ScalarQuantize.quantize16(in[inOffset + i], quantMult);
    }
  }

  /** 16-bit A: quantized values widened to int, row-major. */
  static void prepareA16(float[] in, int offset, float quantMult, int count, int[] out) {
    int i = 0;
    for (int bound = F.loopBound(count); i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(F, in, offset + i).mul(quantMult);
      VectorMask<Float> special = v.compare(VectorOperators.NE, v).or(v.compare(VectorOperators.GE, ScalarQuantize.TWO_POW_31));
      FloatVector r = v.max(-32768f).min(32767f).add(MAGIC).sub(MAGIC);
      ((IntVector) r.convert(VectorOperators.F2I, 0)).blend(-32768, special.cast(I)).intoArray(out, i);
    }
    for (; i < count; i++) {
      out[i] = ScalarQuantize.quantize16(in[offset + i], quantMult);
    }
  }

  /**
   * 8-bit A in the split layout ({@link PreparedA}): for each 32-value chunk, the even k go to positions 0..15
   * and the odd k to 16..31, plus {@code shift}. Two consecutive vectors of quantized ints are split into their
   * even and odd lanes with a two-vector rearrange. {@code cols % 32 == 0}.
   */
  static void prepareA8(float[] in, int offset, float quantMult, int rows, int cols, short[] out, int shift) {
    int total = rows * cols;
    for (int chunk = 0; chunk < total; chunk += 32) {
      for (int j = 0; j < 16; j += L) {
        // k = chunk + 2j .. chunk + 2j + 2L - 1: two vectors, the pairs (2j + 2i, 2j + 2i + 1) for i < L.
        FloatVector v = FloatVector.fromArray(F, in, offset + chunk + 2 * j).mul(quantMult);
        VectorMask<Float> special =
            v.compare(VectorOperators.NE, v).or(v.compare(VectorOperators.GE, ScalarQuantize.TWO_POW_31));
        IntVector q0 = ((IntVector) v.max(-127f).min(127f).add(MAGIC).sub(MAGIC).convert(VectorOperators.F2I, 0))
            .blend(-127, special.cast(I));
        v = FloatVector.fromArray(F, in, offset + chunk + 2 * j + L).mul(quantMult);
        special = v.compare(VectorOperators.NE, v).or(v.compare(VectorOperators.GE, ScalarQuantize.TWO_POW_31));
        IntVector q1 = ((IntVector) v.max(-127f).min(127f).add(MAGIC).sub(MAGIC).convert(VectorOperators.F2I, 0))
            .blend(-127, special.cast(I));
        IntVector even = q0.rearrange(EVENS, q1).add(shift);
        IntVector odd = q0.rearrange(ODDS, q1).add(shift);
        ((ShortVector) even.convertShape(VectorOperators.I2S, SH, 0)).intoArray(out, chunk + j);
        ((ShortVector) odd.convertShape(VectorOperators.I2S, SH, 0)).intoArray(out, chunk + 16 + j);
      }
    }
  }
}
