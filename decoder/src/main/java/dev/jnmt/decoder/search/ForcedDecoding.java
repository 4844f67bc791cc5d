package dev.jnmt.decoder.search;

/**
 * Scores given target sequences instead of searching (teacher forcing): the sum of the step scores the
 * search would have used for exactly these tokens (log-softmax, logits processors, renormalisation), and
 * the normalised score the beam search would rank it by. Used to compare two translations of one source
 * under the same float arithmetic, e.g. to check that a difference from a reference decoder is a near tie.
 */
public final class ForcedDecoding {

  private ForcedDecoding() {}

  /**
   * Scores one target per session row.
   *
   * @param session a fresh session with one row per target (row i decodes source i)
   * @param targets generated ids per row, start token excluded, usually ending with EOS
   * @return one hypothesis per target with its log-probability and normalised score
   */
  public static Hypothesis[] score(DecoderSession session, int[][] targets, SearchConfig c) {
    int rows = targets.length;
    if (session.rows() != rows) {
      throw new IllegalArgumentException(rows + " targets for a session of " + session.rows() + " rows");
    }
    int vocab = session.vocabSize();
    int stride = session.logitsStride();
    int longest = 0;
    for (int[] t : targets) {
      longest = Math.max(longest, t.length);
    }
    float[] logProb = new float[rows];
    float[] logits = new float[rows * stride];
    int[] input = new int[rows];
    java.util.Arrays.fill(input, c.decoderStartId());
    for (int t = 0; t < longest; t++) {
      session.step(input, logits);
      for (int r = 0; r < rows; r++) {
        if (t < targets[r].length) {
          int[] ids = session.rowIds(r);
          int n = ids == null ? vocab : ids.length;
          LogitsProcessor.beamScores(logits, r * stride, n, ids, vocab, c, targets[r], t);
          int token = targets[r][t];
          int k = LogitsProcessor.position(ids, n, token);
          logProb[r] += k < 0 ? Float.NEGATIVE_INFINITY : logits[r * stride + k];
          input[r] = token;
        } else {
          input[r] = c.eosId();
        }
      }
    }
    Hypothesis[] out = new Hypothesis[rows];
    for (int r = 0; r < rows; r++) {
      int len = Math.max(1, targets[r].length);
      out[r] = new Hypothesis(targets[r].clone(), c.normalise(logProb[r], len), logProb[r]);
    }
    return out;
  }
}
