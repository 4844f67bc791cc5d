package dev.jnmt.decoder.model;

import dev.jnmt.decoder.ops.FloatOps;

/**
 * Multi-head attention from the decoder over the encoder output: the q/k/v/out projections ([d × d]) and
 * {@code heads}. The keys and values of a sentence are computed once ({@link #memory}) and shared by
 * every row (hypothesis) of that sentence.
 */
public record CrossAttention(Dense q, Dense k, Dense v, Dense out, int heads) {

  public CrossAttention {
    Attention.checkShapes(q, k, v, out, heads);
  }

  /**
   * The projected encoder output of a mini-batch: for sentence s, its keys transposed ([d × strides[s]],
   * the length padded for the vector kernels) at {@code keysT[0][keyOffsets[s]..]} and its value rows at
   * {@code values[0][valueOffsets[s]·d..]} (each one array, held as the single chunk {@link
   * Attention#attend} reads).
   */
  record Memory(float[][] keysT, int[] keyOffsets, int[] strides, float[][] values, int[] valueOffsets, int[] lengths) {

    /** The longest padded key run (the score scratch a query needs). */
    int longestStride() {
      int m = 0;
      for (int s : strides) {
        m = Math.max(m, s);
      }
      return m;
    }
  }

  /** d_model. */
  public int dim() {
    return q.inFeatures();
  }

  /** Projects the encoder output into this layer's keys and values. */
  Memory memory(EncodedBatch enc) {
    int d = dim();
    int n = enc.sentences();
    int[] lengths = enc.lengths();
    int[] offsets = new int[n];
    int[] strides = new int[n];
    int size = 0;
    for (int s = 0; s < n; s++) {
      offsets[s] = size;
      strides[s] = FloatOps.roundUpToPad(lengths[s]);
      size += d * strides[s];
    }
    float[] keys = new float[enc.totalRows() * d];
    float[] keysT = new float[size];
    float[] values = new float[enc.totalRows() * d];
    k.forward(enc.hidden(), enc.totalRows(), keys);
    v.forward(enc.hidden(), enc.totalRows(), values);
    for (int s = 0; s < n; s++) {
      Attention.transpose(keys, enc.offsets()[s] * d, lengths[s], d, keysT, offsets[s], strides[s]);
    }
    return new Memory(new float[][] {keysT}, offsets, strides, new float[][] {values}, enc.offsets(), lengths);
  }

  /**
   * Row r (a hypothesis of sentence {@code rowSentence[r]}) attends over that sentence's encoder output.
   * Writes the output projection (before the residual addition) to {@code y} [rows × d].
   */
  void forward(float[] x, int rows, int[] rowSentence, Memory m, float[] y, Workspace ws) {
    int d = dim();
    q.forward(x, rows, ws.q);
    ws.ensureScores(heads * m.longestStride());
    float scaling = Attention.scaling(d, heads);
    for (int r = 0; r < rows; r++) {
      int s = rowSentence[r];
      int stride = m.strides()[s];
      Attention.attend(
          ws.q, r * d, m.keysT(), m.keyOffsets()[s], stride, m.values(), m.valueOffsets()[s] * d, stride,
          m.lengths()[s], d, heads, scaling, ws.ctx, r * d, ws.scores, stride);
    }
    out.forward(ws.ctx, rows, y);
  }
}
