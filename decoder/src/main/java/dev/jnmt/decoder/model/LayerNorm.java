package dev.jnmt.decoder.model;

import dev.jnmt.decoder.ops.FloatOps;

/** LayerNorm over the last dimension d = gamma.length; applied in place, row by row. */
public record LayerNorm(float[] gamma, float[] beta, float eps) {

  public LayerNorm {
    if (gamma.length != beta.length) {
      throw new IllegalArgumentException(
          "layer norm weight has " + gamma.length + " values but bias " + beta.length);
    }
  }

  /** Normalizes rows [0, rows) of x ([rows × d]) in place. */
  public void apply(float[] x, int rows) {
    int d = gamma.length;
    for (int r = 0; r < rows; r++) {
      FloatOps.layerNorm(x, r * d, d, gamma, beta, eps);
    }
  }
}
