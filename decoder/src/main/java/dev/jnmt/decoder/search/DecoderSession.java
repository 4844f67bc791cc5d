package dev.jnmt.decoder.search;

/**
 * The decoder as the search sees it: a set of rows (hypotheses), each tied to one source sentence of
 * the batch, advanced one token at a time. When a session starts it has one row per sentence, row i
 * decoding sentence i, and nothing generated yet. Not thread-safe: one search drives one session.
 */
public interface DecoderSession extends AutoCloseable {

  /** Columns of the logits (the target vocabulary size). */
  int vocabSize();

  /** Current number of rows. */
  int rows();

  /**
   * Feeds one token to every row and writes the next-token logits.
   *
   * @param tokens one token per row ({@code tokens.length == rows()})
   * @param logits receives [rows × logitsStride()] row-major (see {@link #rowIds})
   */
  void step(int[] tokens, float[] logits);

  /**
   * The distance between rows in the logits {@link #step} writes: {@link #vocabSize()} unless rows hold
   * only some ids ({@link #rowIds}).
   */
  default int logitsStride() {
    return vocabSize();
  }

  /**
   * The vocabulary ids whose logits row {@code row} holds, ascending, one per column from
   * {@code row · logitsStride()}; every other id scores −∞ for that row. Null (the default): the row holds
   * all {@link #vocabSize()} ids in order. With a lexical shortlist, the ids of the row's sentence; they
   * include every id the search forces (the forced end-of-sentence id). The array belongs to the session
   * and is not modified by it; valid until the next {@link #reorder}.
   */
  default int[] rowIds(int row) {
    return null;
  }

  /**
   * Replaces the rows: new row i continues the history of old row {@code parents[i]} (which may repeat
   * or be left out; an old row that is left out is dropped).
   */
  void reorder(int[] parents);

  @Override
  default void close() {}
}
