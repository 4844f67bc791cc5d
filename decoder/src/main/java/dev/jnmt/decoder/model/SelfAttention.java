package dev.jnmt.decoder.model;

import dev.jnmt.decoder.ops.FloatOps;

/**
 * Multi-head self-attention: the q/k/v/out projections ([d × d] each) and {@code heads}. The encoder
 * attends over the whole sentence ({@link #forward}); the decoder attends over the positions generated so
 * far, whose keys and values it keeps in a {@link KvCache} ({@link #step}).
 */
public record SelfAttention(Dense q, Dense k, Dense v, Dense out, int heads) {

  public SelfAttention {
    Attention.checkShapes(q, k, v, out, heads);
  }

  /** d_model. */
  public int dim() {
    return q.inFeatures();
  }

  /**
   * Encoder self-attention: each row attends to every row of its own sentence. Writes the output
   * projection (before the residual addition) to {@code y} [totalRows × d].
   */
  void forward(float[] x, PackedBatch batch, float[] y, Workspace ws) {
    int d = dim();
    int total = batch.totalRows();
    q.forward(x, total, ws.q);
    k.forward(x, total, ws.k);
    v.forward(x, total, ws.v);
    int n = batch.sentences();
    int keysSize = 0;
    for (int s = 0; s < n; s++) {
      keysSize += d * FloatOps.roundUpToPad(batch.lengths()[s]);
    }
    float[] keysT = new float[keysSize];
    ws.ensureScores(heads * FloatOps.roundUpToPad(batch.longest()));
    float scaling = Attention.scaling(d, heads);
    float[][] kc = {keysT};
    float[][] vc = {ws.v};
    int keysOffset = 0;
    for (int s = 0; s < n; s++) {
      int base = batch.offsets()[s] * d;
      int len = batch.lengths()[s];
      int stride = FloatOps.roundUpToPad(len);
      Attention.transpose(ws.k, base, len, d, keysT, keysOffset, stride);
      for (int i = 0; i < len; i++) {
        int row = (batch.offsets()[s] + i) * d;
        Attention.attend(
            ws.q, row, kc, keysOffset, stride, vc, base, stride, len, d, heads, scaling, ws.ctx, row, ws.scores,
            stride);
      }
      keysOffset += d * stride;
    }
    out.forward(ws.ctx, total, y);
  }

  /**
   * One decoder step: stores the keys and values of the {@code rows} new positions (all at {@code
   * position}) in {@code cache}, then each row attends over its positions [0, position]. Writes the output
   * projection to {@code y} [rows × d].
   */
  void step(float[] x, int rows, int position, KvCache cache, float[] y, Workspace ws) {
    int d = dim();
    q.forward(x, rows, ws.q);
    k.forward(x, rows, ws.k);
    v.forward(x, rows, ws.v);
    cache.ensureCapacity(position + 1);
    int sStride = cache.capacity();
    ws.ensureScores(heads * sStride);
    float scaling = Attention.scaling(d, heads);
    int chunk = KvCache.CHUNK;
    for (int r = 0; r < rows; r++) {
      cache.put(r, position, ws.k, r * d, ws.v, r * d);
      float[][] kv = cache.chunks(r);
      Attention.attend(
          ws.q, r * d, kv, 0, chunk, kv, KvCache.valuesOffset(d), chunk, position + 1, d, heads, scaling, ws.ctx,
          r * d, ws.scores, sStride);
    }
    out.forward(ws.ctx, rows, y);
  }
}
