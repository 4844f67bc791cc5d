package dev.jnmt.decoder.model;

import dev.jnmt.decoder.ops.FloatOps;

/**
 * One decoder layer, post-norm as in MarianMT: {@code x = LN(x + SelfAttention(x))} over the positions
 * generated so far, {@code x = LN(x + CrossAttention(x, encoder))}, {@code x = LN(x + FeedForward(x))}.
 */
public record DecoderLayer(
    SelfAttention selfAttention,
    LayerNorm selfAttentionNorm,
    CrossAttention crossAttention,
    LayerNorm crossAttentionNorm,
    FeedForward feedForward,
    LayerNorm feedForwardNorm) {

  /**
   * One incremental step, in place on {@code x} [rows × d]: every row is at {@code position}; row r
   * belongs to sentence {@code rowSentence[r]} of {@code memory}.
   */
  void step(
      float[] x, int rows, int position, KvCache cache, CrossAttention.Memory memory, int[] rowSentence, Workspace ws) {
    int n = rows * selfAttention.dim();
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
