package dev.jnmt.decoder.model;

import dev.jnmt.decoder.ops.FloatOps;

/** LayerNorm parameters over the last dimension d; applied in place row by row. */
record LayerNorm(float[] gamma, float[] beta, float eps) {

  void apply(float[] x, int rows, int d) {
    for (int r = 0; r < rows; r++) {
      FloatOps.layerNorm(x, r * d, d, gamma, beta, eps);
    }
  }
}
