package dev.jnmt.decoder.model;

/**
 * Token embeddings plus positions, as HF MarianMT computes them: {@code x = E[id]·scale + P[pos]}, with
 * {@code scale = sqrt(d_model)} when {@code scale_embedding} (else 1) and P the sinusoid table or stored
 * position weights. Source and target share one table when the vocabularies are shared.
 *
 * @param sourcePositions [maxPositions × d]
 * @param targetPositions [maxPositions × d]
 */
public record Embeddings(
    EmbeddingTable source, EmbeddingTable target, float[] sourcePositions, float[] targetPositions, float scale) {

  /** {@code x[xo..xo+d) = source[id]·scale + sourcePositions[pos]}. */
  public void embedSource(int id, int pos, float[] x, int xo) {
    source.embed(id, scale, sourcePositions, pos * source.dim(), x, xo);
  }

  /** {@code x[xo..xo+d) = target[id]·scale + targetPositions[pos]}. */
  public void embedTarget(int id, int pos, float[] x, int xo) {
    target.embed(id, scale, targetPositions, pos * target.dim(), x, xo);
  }
}
