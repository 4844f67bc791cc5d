package dev.jnmt.decoder.model;

/**
 * Scratch buffers of one forward pass (an encoder call or a decoder session), grown on demand and reused
 * by every layer, so that a decoder step allocates nothing in the steady state. Not thread-safe: each
 * encoder call and each decoder session has its own.
 */
final class Workspace {

  private static final float[] EMPTY = new float[0];

  /** Projected queries [rows × d]. */
  float[] q = EMPTY;
  /** Projected keys [rows × d]. */
  float[] k = EMPTY;
  /** Projected values [rows × d]. */
  float[] v = EMPTY;
  /** Attention context [rows × d]. */
  float[] ctx = EMPTY;
  /** A sub-layer's output before the residual addition [rows × d]. */
  float[] out = EMPTY;
  /** The feed-forward block's inner activations [rows × ffn]. */
  float[] hidden = EMPTY;
  /** A pre-norm block's normalised input [rows × d] (the residual stays in x). */
  float[] normed = EMPTY;
  /** Attention scores of one query, all heads (heads × the key stride). */
  float[] scores = EMPTY;

  /** Makes the row buffers hold {@code rows} rows of width d and inner width ffn. */
  void ensureRows(int rows, int d, int ffn) {
    int n = rows * d;
    if (q.length < n) {
      q = new float[n];
      k = new float[n];
      v = new float[n];
      ctx = new float[n];
      out = new float[n];
    }
    if (hidden.length < rows * ffn) {
      hidden = new float[rows * ffn];
    }
  }

  /** {@code LN(x)} of the first n values (rows rows) in {@link #normed}, x unchanged: a pre-norm block's input. */
  float[] normalized(float[] x, int n, LayerNorm norm, int rows) {
    if (normed.length < n) {
      normed = new float[n];
    }
    System.arraycopy(x, 0, normed, 0, n);
    norm.apply(normed, rows);
    return normed;
  }

  /** Makes {@link #scores} hold at least n values. */
  void ensureScores(int n) {
    if (scores.length < n) {
      scores = new float[n];
    }
  }
}
