package dev.jnmt.decoder.ops;

/**
 * Constants of the erf approximation shared by the scalar and vector GELU kernels: Abramowitz &amp;
 * Stegun 7.1.26, {@code erf(x) ≈ 1 − (a1·t + a2·t² + … + a5·t⁵)·e^(−x²)} with {@code t = 1/(1 + p·x)} for
 * x ≥ 0 and odd symmetry. Its absolute error is at most 1.5e-7, about one float ulp of GELU's output;
 * the Java library has no erf, and the Vector API has no ERF operator.
 */
final class Erf {
  static final float P = 0.3275911f;
  static final float A1 = 0.254829592f;
  static final float A2 = -0.284496736f;
  static final float A3 = 1.421413741f;
  static final float A4 = -1.453152027f;
  static final float A5 = 1.061405429f;
  static final float SQRT1_2 = (float) (1.0 / Math.sqrt(2.0));
  static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);
  static final float GELU_CUBIC = 0.044715f;

  private Erf() {}

  /** a1 + a2·t + … + a5·t⁴ (Horner, fused). */
  static float poly(float t) {
    float p = A5;
    p = Math.fma(p, t, A4);
    p = Math.fma(p, t, A3);
    p = Math.fma(p, t, A2);
    return Math.fma(p, t, A1);
  }
}
