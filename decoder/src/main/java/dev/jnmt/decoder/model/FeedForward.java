package dev.jnmt.decoder.model;

import dev.jnmt.decoder.config.Activation;
import dev.jnmt.decoder.ops.FloatOps;

/** The position-wise feed-forward block {@code fc2(act(fc1(x)))}. */
public record FeedForward(Dense fc1, Dense fc2, Activation activation) {

  public FeedForward {
    if (fc1.outFeatures() != fc2.inFeatures() || fc1.inFeatures() != fc2.outFeatures()) {
      throw new IllegalArgumentException(
          "feed-forward shapes do not chain: fc1 " + fc1.outFeatures() + "×" + fc1.inFeatures() + ", fc2 "
              + fc2.outFeatures() + "×" + fc2.inFeatures());
    }
  }

  /** The inner width (HF {@code *_ffn_dim}). */
  public int innerDim() {
    return fc1.outFeatures();
  }

  /** {@code y = fc2(act(fc1(x)))} for rows [0, rows); uses {@code ws.hidden}. */
  void forward(float[] x, int rows, float[] y, Workspace ws) {
    fc1.forward(x, rows, ws.hidden);
    FloatOps.activate(activation, ws.hidden, 0, rows * innerDim());
    fc2.forward(ws.hidden, rows, y);
  }
}
