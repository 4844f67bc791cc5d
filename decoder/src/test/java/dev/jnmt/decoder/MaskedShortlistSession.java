package dev.jnmt.decoder;

import dev.jnmt.decoder.search.DecoderSession;
import dev.jnmt.decoder.shortlist.BatchColumns;

/**
 * Test reference: the full-vocabulary output layer, then every row −∞ outside its sentence's allowed ids
 * (what the selected-column output layer must reproduce bit for bit). A decoder session restricted to a mini-batch's shortlist: it tracks which sentence each row decodes
 * (rows start as one per sentence and follow {@link #reorder}) and gives every row −∞ outside its
 * sentence's allowed ids.
 */
final class MaskedShortlistSession implements DecoderSession {

  private final DecoderSession inner;
  private final BatchColumns columns;
  private int[] rowSentence;
  private float[] compact = new float[0];

  MaskedShortlistSession(DecoderSession inner, BatchColumns columns) {
    this.inner = inner;
    this.columns = columns;
    rowSentence = new int[inner.rows()];
    for (int i = 0; i < rowSentence.length; i++) {
      rowSentence[i] = i;
    }
  }

  @Override
  public int vocabSize() {
    return inner.vocabSize();
  }

  @Override
  public int rows() {
    return inner.rows();
  }

  @Override
  public void step(int[] tokens, float[] logits) {
    inner.step(tokens, logits);
    int rows = inner.rows();
    int v = inner.vocabSize();
    int[] cols = columns.columns();
    int c = cols.length;
    if (compact.length < rows * c) {
      compact = new float[rows * c];
    }
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < c; j++) {
        compact[r * c + j] = logits[r * v + cols[j]];
      }
    }
    columns.scatter(compact, rows, rowSentence, logits);
  }

  @Override
  public void reorder(int[] parents) {
    inner.reorder(parents);
    int[] s = new int[parents.length];
    for (int i = 0; i < parents.length; i++) {
      s[i] = rowSentence[parents[i]];
    }
    rowSentence = s;
  }

  @Override
  public void close() {
    inner.close();
  }
}
