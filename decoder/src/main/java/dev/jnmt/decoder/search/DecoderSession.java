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
   * @param logits receives [rows × vocabSize] row-major
   */
  void step(int[] tokens, float[] logits);

  /**
   * Replaces the rows: new row i continues the history of old row {@code parents[i]} (which may repeat
   * or be left out; an old row that is left out is dropped).
   */
  void reorder(int[] parents);

  @Override
  default void close() {}
}
