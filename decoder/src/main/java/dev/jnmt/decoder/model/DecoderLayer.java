package dev.jnmt.decoder.model;

import dev.jnmt.decoder.ops.FloatOps;

/**
 * One decoder layer. Post-norm as in MarianMT: {@code x = LN(x + SelfAttention(x))} over the positions
 * generated so far, {@code x = LN(x + CrossAttention(x, encoder))}, {@code x = LN(x + FeedForward(x))};
 * with {@code normalizeBefore} (config normalize_before: mBART, transformers 3.x BART) each block
 * normalises its input instead, {@code x = x + Block(LN(x))}.
 */
public record DecoderLayer(
    SelfAttention selfAttention,
    LayerNorm selfAttentionNorm,
    CrossAttention crossAttention,
    LayerNorm crossAttentionNorm,
    FeedForward feedForward,
    LayerNorm feedForwardNorm,
    boolean normalizeBefore) {

  /** A post-norm layer (MarianMT). */
  public DecoderLayer(
      SelfAttention selfAttention,
      LayerNorm selfAttentionNorm,
      CrossAttention crossAttention,
      LayerNorm crossAttentionNorm,
      FeedForward feedForward,
      LayerNorm feedForwardNorm) {
    this(selfAttention, selfAttentionNorm, crossAttention, crossAttentionNorm, feedForward, feedForwardNorm, false);
  }

  /**
   * One incremental step, in place on {@code x} [rows × d]: every row is at {@code position}; row r
   * belongs to sentence {@code rowSentence[r]} of {@code memory}.
   */
  void step(
      float[] x, int rows, int position, KvCache cache, CrossAttention.Memory memory, int[] rowSentence, Workspace ws) {
    int n = rows * selfAttention.dim();
    if (normalizeBefore) {
      selfAttention.step(ws.normalized(x, n, selfAttentionNorm, rows), rows, position, cache, ws.out, ws);
      FloatOps.add(ws.out, 0, x, 0, n);
      crossAttention.forward(ws.normalized(x, n, crossAttentionNorm, rows), rows, rowSentence, memory, ws.out, ws);
      FloatOps.add(ws.out, 0, x, 0, n);
      feedForward.forward(ws.normalized(x, n, feedForwardNorm, rows), rows, ws.out, ws);
      FloatOps.add(ws.out, 0, x, 0, n);
      return;
    }
    selfAttention.step(x, rows, position, cache, ws.out, ws);
    FloatOps.add(ws.out, 0, x, 0, n);
    selfAttentionNorm.apply(x, rows);
    crossAttention.forward(x, rows, rowSentence, memory, ws.out, ws);
    FloatOps.add(ws.out, 0, x, 0, n);
    crossAttentionNorm.apply(x, rows);
    feedForward.forward(x, rows, ws.out, ws);
    FloatOps.add(ws.out, 0, x, 0, n);
    feedForwardNorm.apply(x, rows);
  }
}
