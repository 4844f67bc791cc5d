package dev.jnmt.decoder.model;

/**
 * Hugging Face's MarianSinusoidalPositionalEmbedding table: for position p and k in [0, d/2),
 * {@code angle = p / 10000^(2k/d)}, sines in columns [0, d/2) and cosines in [d/2, d) (halves, not
 * interleaved), computed in double and rounded to float once. Marian's own C++ formula differs; this
 * one is what HF checkpoints were trained and evaluated with.
 */
public final class Sinusoids {

  private Sinusoids() {}

  /** The [positions × d] table, row-major. */
  public static float[] table(int positions, int d) {
    if (d % 2 != 0) {
      throw new IllegalArgumentException("sinusoid dimension must be even, got " + d);
    }
    int half = d / 2;
    double[] invFreq = new double[half];
    for (int k = 0; k < half; k++) {
      invFreq[k] = Math.pow(10000.0, 2.0 * k / d);
    }
    float[] t = new float[Math.multiplyExact(positions, d)];
    for (int p = 0; p < positions; p++) {
      for (int k = 0; k < half; k++) {
        double angle = p / invFreq[k];
        t[p * d + k] = (float) Math.sin(angle);
        t[p * d + half + k] = (float) Math.cos(angle);
      }
    }
    return t;
  }
}
