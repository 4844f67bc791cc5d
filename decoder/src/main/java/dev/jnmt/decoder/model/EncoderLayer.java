package dev.jnmt.decoder.model;

import dev.jnmt.decoder.ops.FloatOps;

/**
 * One encoder layer. Post-norm as in MarianMT: {@code x = LN(x + SelfAttention(x))}, then {@code x =
 * LN(x + FeedForward(x))}; with {@code normalizeBefore} (config normalize_before, the pre-norm layers of
 * mBART and of transformers 3.x BART) each block normalises its input instead: {@code x = x +
 * SelfAttention(LN(x))}, then {@code x = x + FeedForward(LN(x))}.
 */
public record EncoderLayer(
    SelfAttention selfAttention,
    LayerNorm selfAttentionNorm,
    FeedForward feedForward,
    LayerNorm feedForwardNorm,
    boolean normalizeBefore) {

  /** A post-norm layer (MarianMT). */
  public EncoderLayer(
      SelfAttention selfAttention, LayerNorm selfAttentionNorm, FeedForward feedForward, LayerNorm feedForwardNorm) {
    this(selfAttention, selfAttentionNorm, feedForward, feedForwardNorm, false);
  }

  /** Runs the layer in place on the packed rows {@code x} [totalRows × d]. */
  void forward(float[] x, PackedBatch batch, Workspace ws) {
    int rows = batch.totalRows();
    int n = rows * selfAttention.dim();
    if (normalizeBefore) {
      selfAttention.forward(ws.normalized(x, n, selfAttentionNorm, rows), batch, ws.out, ws);
      FloatOps.add(ws.out, 0, x, 0, n);
      feedForward.forward(ws.normalized(x, n, feedForwardNorm, rows), rows, ws.out, ws);
      FloatOps.add(ws.out, 0, x, 0, n);
      return;
    }
    selfAttention.forward(x, batch, ws.out, ws);
    FloatOps.add(ws.out, 0, x, 0, n);
    selfAttentionNorm.apply(x, rows);
    feedForward.forward(x, rows, ws.out, ws);
    FloatOps.add(ws.out, 0, x, 0, n);
    feedForwardNorm.apply(x, rows);
  }
}
