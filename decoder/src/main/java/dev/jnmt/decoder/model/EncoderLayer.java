package dev.jnmt.decoder.model;

import dev.jnmt.decoder.ops.FloatOps;

/**
 * One encoder layer, post-norm as in MarianMT: {@code x = LN(x + SelfAttention(x))}, then {@code x =
 * LN(x + FeedForward(x))}.
 */
public record EncoderLayer(
    SelfAttention selfAttention, LayerNorm selfAttentionNorm, FeedForward feedForward, LayerNorm feedForwardNorm) {

  /** Runs the layer in place on the packed rows {@code x} [totalRows × d]. */
  void forward(float[] x, PackedBatch batch, Workspace ws) {
    int rows = batch.totalRows();
    int n = rows * selfAttention.dim();
    selfAttention.forward(x, batch, ws.out, ws);
    FloatOps.add(ws.out, 0, x, 0, n);
    selfAttentionNorm.apply(x, rows);
    feedForward.forward(x, rows, ws.out, ws);
    FloatOps.add(ws.out, 0, x, 0, n);
    feedForwardNorm.apply(x, rows);
  }
}
