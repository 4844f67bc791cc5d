package dev.jnmt.decoder.model;

import dev.jnmt.decoder.ops.FloatOps;

/**
 * The multi-head attention kernel shared by {@link SelfAttention} and {@link CrossAttention}. Heads are
 * contiguous slices of d: head h uses dims [h·hd, (h+1)·hd). Scores are {@code (q·k)·hd^-0.5}, softmax
 * over the keys, then the weighted sum of the values.
 *
 * <p>Padding: HF adds float32.min to the scores of padded source keys; exp then underflows to exactly 0,
 * so those keys contribute nothing to the sum nor to the context. This kernel receives only the real
 * keys of a sentence (batches are packed without padding rows), which gives the same result; {@code
 * AttentionTest} checks it against an explicit float32.min mask.
 */
final class Attention {

  private Attention() {}

  /**
   * Context for one query row over {@code nKeys} keys held in chunks of {@code chunk} positions (one chunk
   * of stride ≥ nKeys for keys that are stored together): for head h and dimension i of that head, the
   * keys of chunk k are contiguous at {@code kc[k][kto + (h·hd + i)·ktStride + j]}, their values at {@code
   * vc[k][vo + j·d]}. Each score is an in-order fused multiply-add chain over the head's dimensions,
   * computed for all keys at once (lanes = keys), so no lane reductions are needed and every vector width
   * gives the same bits; the context is likewise one in-order chain over all the keys, whatever the
   * chunking.
   *
   * @param query holds the projected query at {@code qo} (d values)
   * @param ktStride ≥ the keys of a chunk rounded up to {@link FloatOps#LANES}, the padding readable (its
   *     values are computed and ignored)
   * @param chunk positions per chunk, a multiple of {@link FloatOps#PAD}
   * @param ctx receives the context at {@code co} (d values)
   * @param scores scratch of at least heads·sStride floats, sStride ≥ nKeys rounded up to the lanes
   */
  static void attend(
      float[] query,
      int qo,
      float[][] kc,
      int kto,
      int ktStride,
      float[][] vc,
      int vo,
      int chunk,
      int nKeys,
      int d,
      int heads,
      float scaling,
      float[] ctx,
      int co,
      float[] scores,
      int sStride) {
    if (chunk % FloatOps.PAD != 0) {
      throw new IllegalArgumentException("chunk of " + chunk + " keys is not a multiple of " + FloatOps.PAD);
    }
    FloatOps.attend(query, qo, kc, kto, ktStride, vc, vo, chunk, nKeys, d, heads, scaling, ctx, co, scores, sStride);
  }

  /**
   * Transposes {@code n} key rows ([n × d] at {@code src[so..]}) into the layout of {@link #attend}:
   * {@code dst[dOff + c·stride + j] = src[so + j·d + c]}.
   */
  static void transpose(float[] src, int so, int n, int d, float[] dst, int dOff, int stride) {
    for (int j = 0; j < n; j++) {
      int row = so + j * d;
      for (int c = 0; c < d; c++) {
        dst[dOff + c * stride + j] = src[row + c];
      }
    }
  }

  /** Checks that four projections are [d × d] with d divisible by heads. */
  static void checkShapes(Dense q, Dense k, Dense v, Dense out, int heads) {
    int d = q.inFeatures();
    for (Dense p : new Dense[] {q, k, v, out}) {
      if (p.inFeatures() != d || p.outFeatures() != d) {
        throw new IllegalArgumentException(
            "attention projection is " + p.outFeatures() + "×" + p.inFeatures() + ", expected " + d + "×" + d);
      }
    }
    if (heads < 1 || d % heads != 0) {
      throw new IllegalArgumentException("d_model " + d + " is not divisible into " + heads + " heads");
    }
  }

  /** hd^-0.5 as HF computes it (a Python double), applied as a float. */
  static float scaling(int d, int heads) {
    return (float) Math.pow((double) (d / heads), -0.5);
  }
}
