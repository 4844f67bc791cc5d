package dev.jnmt.decoder.ops;

/**
 * e^x and tanh in float, built from additions, multiplications and fused multiply-adds only, so that the
 * scalar code here and the lane-wise code in {@link VectorOps} give the same bits, in the interpreter and in
 * compiled code alike.
 *
 * <p>Why not {@link Math#exp} and the Vector API's {@code EXP}/{@code TANH}: those vector operations are
 * evaluated lane by lane with {@link Math} until C2 compiles the caller, and by a different (SVML) routine
 * afterwards, so the same sentence got scores a few ulp apart depending on how warm the JVM was, and a
 * vector kernel's scalar tail disagreed with its vector lanes. Neither is acceptable for a translator
 * whose output should depend on its input only.
 *
 * <p>Method (Cephes' expf): x is clamped to [−104, 88.8] (NaN passes through), k = rint(x·log2 e) by the
 * 1.5·2^23 trick (which also leaves k as an integer in the low bits of the sum), r = x − k·ln 2 in two fused steps,
 * e^r by a degree-6 polynomial on |r| ≤ ln2/2, then the result is scaled by 2^k as two factors
 * 2^⌊k/2⌋·2^(k−⌊k/2⌋), so that both stay normal over the whole clamped range and a subnormal result is
 * rounded once. Error below 2 ulp against the exact value (tested against {@link Math#exp});
 * exp(±∞) = ∞ / 0, exp(NaN) = NaN, exp(0) = 1 exactly.
 */
final class Exp {
  static final float LOG2E = 1.44269504088896341f;
  /** 1.5·2^23: adding it rounds a float of magnitude below 2^22 to an integer (ties to even). */
  static final float ROUND = 12582912f;
  static final int ROUND_BITS = Float.floatToRawIntBits(ROUND);
  static final float LN2_HI = 0.693359375f;
  static final float LN2_LO = -2.12194440e-4f;
  static final float LOW = -104f;
  static final float HIGH = 88.8f;
  static final float P0 = 1.9875691500e-4f;
  static final float P1 = 1.3981999507e-3f;
  static final float P2 = 8.3334519073e-3f;
  static final float P3 = 4.1665795894e-2f;
  static final float P4 = 1.6666665459e-1f;
  static final float P5 = 5.0000001201e-1f;

  private Exp() {}

  static float exp(float x) {
    float c = x < LOW ? LOW : x;
    c = c > HIGH ? HIGH : c;
    float t = Math.fma(c, LOG2E, ROUND);
    float k = t - ROUND;
    float r = Math.fma(k, -LN2_HI, c);
    r = Math.fma(k, -LN2_LO, r);
    float p = P0;
    p = Math.fma(p, r, P1);
    p = Math.fma(p, r, P2);
    p = Math.fma(p, r, P3);
    p = Math.fma(p, r, P4);
    p = Math.fma(p, r, P5);
    p = Math.fma(p, r * r, r) + 1f;
    // t = ROUND + k exactly, with k in t's low mantissa bits: its bits minus ROUND's are k as an int
    int ki = Float.floatToRawIntBits(t) - ROUND_BITS;
    int k1 = ki >> 1;
    int k2 = ki - k1;
    return p * Float.intBitsToFloat((k1 + 127) << 23) * Float.intBitsToFloat((k2 + 127) << 23);
  }

  /**
   * tanh(x) = sign(x)·(1 − 2/(e^{2|x|} + 1)), with {@link #exp}: absolute error about 1e-7 (the relative
   * error grows for |x| below 1e-3, where the result is tiny; GELU only adds it to 1).
   */
  static float tanh(float x) {
    float t = 1f - 2f / (exp(Math.abs(x) * 2f) + 1f);
    return Math.copySign(t, x);
  }
}
