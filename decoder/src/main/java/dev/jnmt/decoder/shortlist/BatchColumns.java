package dev.jnmt.decoder.shortlist;

import java.util.Arrays;

/**
 * The output-layer columns of one mini-batch and, per sentence, which of them it may use.
 *
 * <p>The rule (jnmt's, stricter than Marian's): sentence s may produce exactly
 * {@code allowed(s) = candidates(s) ∪ always}, where candidates(s) is what the shortlist gives its own
 * source ids ({@link Shortlist#mark}) and {@code always} are the ids the search must be able to force
 * or ban (eos, unk, pad, decoder start, bad words, forced eos). The batch computes the output layer on
 * {@code columns} = the union of allowed(s) over the batch, padded to a multiple of 8 with the lowest ids
 * ≥ first not yet in it (Marian's padding), sorted ascending. Every other column — including those
 * only another sentence brought in — gets −∞ for s, so the log-softmax of a row is taken over allowed(s)
 * only (Marian normalises over the selected columns). Because the selected-column logits equal the
 * full-vocabulary logits bit for bit, a sentence's translation does not depend on the other sentences of
 * its mini-batch at all. The decoder hands the search each row's allowed ids only ({@link #gather}); the
 * search's sums run in the lanes of the full-vocabulary row, so the scores are those of the full row
 * with −∞ outside allowed(s) ({@link #scatter}) bit for bit.
 */
public final class BatchColumns {

  private final int vocab;
  private final int[] columns;
  /** Per sentence: positions (indices into columns) of its allowed ids, ascending. */
  private final int[][] allowed;

  private BatchColumns(int vocab, int[] columns, int[][] allowed) {
    this.vocab = vocab;
    this.columns = columns;
    this.allowed = allowed;
  }

  /**
   * @param sources each sentence's source ids
   * @param always ids every sentence may produce (ignored when outside the vocabulary)
   */
  public static BatchColumns of(Shortlist shortlist, int[][] sources, int[] always) {
    int v = shortlist.targetVocabSize();
    boolean[] union = new boolean[v];
    boolean[][] own = new boolean[sources.length][];
    for (int s = 0; s < sources.length; s++) {
      boolean[] m = new boolean[v];
      shortlist.mark(sources[s], sources[s].length, m);
      for (int id : always) {
        if (id >= 0 && id < v) {
          m[id] = true;
        }
      }
      for (int i = 0; i < v; i++) {
        union[i] |= m[i];
      }
      own[s] = m;
    }
    int count = 0;
    for (boolean b : union) {
      if (b) {
        count++;
      }
    }
    int target = Math.min(v, (count + 7) / 8 * 8);
    for (int i = shortlist.first() < v ? shortlist.first() : 0; count < target; i = (i + 1) % v) {
      if (!union[i]) {
        union[i] = true;
        count++;
      }
    }
    int[] columns = new int[count];
    int[] position = new int[v];
    int c = 0;
    for (int i = 0; i < v; i++) {
      if (union[i]) {
        position[i] = c;
        columns[c++] = i;
      }
    }
    int[][] allowed = new int[sources.length][];
    for (int s = 0; s < sources.length; s++) {
      int[] a = new int[count];
      int k = 0;
      for (int i = 0; i < v; i++) {
        if (own[s][i]) {
          a[k++] = position[i];
        }
      }
      allowed[s] = Arrays.copyOf(a, k);
    }
    return new BatchColumns(v, columns, allowed);
  }

  /** Selected vocabulary ids, ascending; a multiple of 8 long unless the vocabulary is smaller. */
  public int[] columns() {
    return columns.clone();
  }

  public int columnCount() {
    return columns.length;
  }

  public int sentences() {
    return allowed.length;
  }

  /** How many ids sentence s may produce. */
  public int allowedCount(int sentence) {
    return allowed[sentence].length;
  }

  /** The vocabulary ids sentence s may produce, ascending. */
  public int[] allowedIds(int sentence) {
    int[] a = allowed[sentence];
    int[] out = new int[a.length];
    for (int i = 0; i < a.length; i++) {
      out[i] = columns[a[i]];
    }
    return out;
  }

  /** The largest {@link #allowedCount} of the batch. */
  public int maxAllowedCount() {
    int m = 0;
    for (int[] a : allowed) {
      m = Math.max(m, a.length);
    }
    return m;
  }

  /**
   * Gathers compact logits ([rows × columnCount]) into rows of their sentence's allowed ids only: row r's
   * {@link #allowedCount} values, in the order of {@link #allowedIds}, from {@code out[r·stride]}.
   */
  public void gather(float[] compact, int rows, int[] rowSentence, float[] out, int stride) {
    int cn = columns.length;
    for (int r = 0; r < rows; r++) {
      int[] a = allowed[rowSentence[r]];
      int base = r * cn;
      int o = r * stride;
      for (int k = 0; k < a.length; k++) {
        out[o + k] = compact[base + a[k]];
      }
    }
  }

  /**
   * Spreads compact logits ([rows × columnCount]) to full-vocabulary rows ([rows × V]): −∞ everywhere
   * but the allowed ids of each row's sentence.
   */
  public void scatter(float[] compact, int rows, int[] rowSentence, float[] logits) {
    int cn = columns.length;
    for (int r = 0; r < rows; r++) {
      int off = r * vocab;
      Arrays.fill(logits, off, off + vocab, Float.NEGATIVE_INFINITY);
      int base = r * cn;
      for (int p : allowed[rowSentence[r]]) {
        logits[off + columns[p]] = compact[base + p];
      }
    }
  }
}
