package dev.jnmt.decoder.search;

import dev.jnmt.decoder.ops.FloatOps;
import java.util.Arrays;

/**
 * Step scores as Hugging Face computes them for generation: log-softmax over all V columns (pad
 * included), then the logits processors in HF's order — repetition penalty, no-repeat n-grams, bad
 * words, min length, forced EOS at length maxLength − 1 (every id −∞ but EOS, which gets 0, so a forced
 * EOS adds nothing to the score) — then, with renormalize_logits, a second log-softmax.
 *
 * <p>The processors that read the history see HF's {@code input_ids}: the decoder start token followed
 * by the generated tokens.
 *
 * <p>A row holds the logits of all V ids in order ({@code ids == null}), or, with a lexical shortlist, of
 * the ascending ids {@code ids[0..n)} only, every other id scoring −∞ ({@link DecoderSession#rowIds}). The
 * sums of a shortlist row run in the lanes of the full-vocabulary row ({@link FloatOps#sumExpAt}), so its
 * scores are bit for bit those of the full-vocabulary row with −∞ outside the ids.
 *
 * <p>{@link #prepare} computes a row's scores without writing them: in the usual case (no repetition
 * penalty, no forced EOS at this length, finite logits) the score of the logit x is
 * {@code (((x − t0) − t1) − t2) − t3} with t = (max, log Σ e^(x − max), and for renormalize_logits the same
 * two of the first log-softmax's output), each subtraction rounded as the in-place log-softmax rounds it,
 * and the bans (bad words, min length, no-repeat n-grams) are −∞ logits. So one pass for the maximum, one
 * per log-softmax for the sum of e^x, and the search reads the scores once while selecting. Otherwise the
 * row is rewritten in place with its scores (what {@link #beamScores} does) and t = 0.
 */
final class LogitsProcessor {

  /** Floats per row of a {@link #prepare} result: t0..t3, then the largest logit after the bans. */
  static final int T = 5;

  private LogitsProcessor() {}

  /** The score {@link #prepare} gives the logit x of a row with transform t[to..]. */
  static float score(float x, float[] t, int to) {
    return (((x - t[to]) - t[to + 1]) - t[to + 2]) - t[to + 3];
  }

  /**
   * Prepares the scores of one row (see the class comment): afterwards {@link #score}(row[off + k], t, to)
   * is the step score of id {@code ids == null ? k : ids[k]}, the very bits {@link #beamScores} would
   * write, and t[to + 4] is the largest logit of the row after the bans.
   *
   * @param n the ids in the row: vocab, or ids.length
   * @param generated the tokens generated so far by this row (start token excluded)
   * @param nGenerated how many of {@code generated} are valid
   */
  static void prepare(float[] row, int off, int n, int[] ids, int vocab, SearchConfig c,
      int[] generated, int nGenerated, float[] t, int to) {
    int curLen = nGenerated + 1;
    float m = FloatOps.max(row, off, n);
    float logSum = (float) Math.log(sumExp(row, off, n, ids, vocab, m, 0f, 0f));
    boolean forced = c.forcedEosId() >= 0 && curLen == c.maxLength() - 1;
    if (!Float.isFinite(m) || !Float.isFinite(logSum) || forced || c.repetitionPenalty() != 1f) {
      write(row, off, n, m, logSum);
      processors(row, off, n, ids, vocab, c, generated, nGenerated);
      finish(row, off, n, ids, vocab, c, t, to);
      return;
    }
    boolean maxBanned = false;
    if (c.noRepeatNgramSize() > 0) {
      maxBanned = noRepeatNgram(row, off, n, ids, c, generated, nGenerated, m);
    }
    for (int[] w : c.badWords()) {
      if (endsWith(c, generated, nGenerated, w, w.length - 1)) {
        maxBanned |= ban(row, off, n, ids, w[w.length - 1], m);
      }
    }
    if (curLen < c.minLength()) {
      maxBanned |= ban(row, off, n, ids, c.eosId(), m);
    }
    float top = maxBanned ? FloatOps.max(row, off, n) : m;
    if (!c.renormalizeLogits()) {
      set(t, to, m, logSum, 0f, 0f, top);
      return;
    }
    float m2 = (top - m) - logSum; // the largest first-stage score: the scores are monotone in x
    if (!Float.isFinite(m2)) {
      write(row, off, n, m, logSum);
      finish(row, off, n, ids, vocab, c, t, to);
      return;
    }
    float logSum2 = (float) Math.log(sumExp(row, off, n, ids, vocab, m, logSum, m2));
    set(t, to, m, logSum, m2, logSum2, top);
  }

  /** Renormalises a rewritten row if asked, then sets the identity transform. */
  private static void finish(float[] row, int off, int n, int[] ids, int vocab, SearchConfig c, float[] t, int to) {
    if (c.renormalizeLogits()) {
      logSoftmax(row, off, n, ids, vocab);
    }
    set(t, to, 0f, 0f, 0f, 0f, FloatOps.max(row, off, n));
  }

  private static void set(float[] t, int to, float a, float b, float c, float d, float top) {
    t[to] = a;
    t[to + 1] = b;
    t[to + 2] = c;
    t[to + 3] = d;
    t[to + 4] = top;
  }

  /**
   * Scores of one row in place: what {@link #prepare} describes, written out (used for forced decoding
   * and as the reference of the unwritten path).
   */
  static void beamScores(float[] row, int off, int n, int[] ids, int vocab, SearchConfig c,
      int[] generated, int nGenerated) {
    logSoftmax(row, off, n, ids, vocab);
    processors(row, off, n, ids, vocab, c, generated, nGenerated);
    if (c.renormalizeLogits()) {
      logSoftmax(row, off, n, ids, vocab);
    }
  }

  /** The processors on a row of log-probabilities, in HF's order. */
  private static void processors(float[] row, int off, int n, int[] ids, int vocab, SearchConfig c,
      int[] generated, int nGenerated) {
    int curLen = nGenerated + 1;
    if (c.repetitionPenalty() != 1f) {
      repetitionPenalty(row, off, n, ids, vocab, c, generated, nGenerated);
    }
    if (c.noRepeatNgramSize() > 0) {
      noRepeatNgram(row, off, n, ids, c, generated, nGenerated, Float.NaN);
    }
    for (int[] w : c.badWords()) {
      if (endsWith(c, generated, nGenerated, w, w.length - 1)) {
        ban(row, off, n, ids, w[w.length - 1], Float.NaN);
      }
    }
    if (curLen < c.minLength()) {
      ban(row, off, n, ids, c.eosId(), Float.NaN);
    }
    if (c.forcedEosId() >= 0 && curLen == c.maxLength() - 1) {
      int k = position(ids, n, c.forcedEosId());
      if (k < 0) {
        throw new IllegalStateException("the forced end-of-sentence id " + c.forcedEosId()
            + " is not among the ids of a shortlist row");
      }
      Arrays.fill(row, off, off + n, Float.NEGATIVE_INFINITY);
      row[off + k] = 0f;
    }
  }

  /** Log-softmax in place: the whole row, or the listed ids of a row that is −∞ elsewhere. */
  static void logSoftmax(float[] row, int off, int n, int[] ids, int vocab) {
    if (ids == null) {
      FloatOps.logSoftmax(row, off, n);
      return;
    }
    float m = FloatOps.max(row, off, n);
    write(row, off, n, m, (float) Math.log(FloatOps.sumExpAt(row, off, ids, n, vocab, m, 0f, 0f)));
  }

  /** row = (row − m) − logSum, as log-softmax writes it. */
  private static void write(float[] row, int off, int n, float m, float logSum) {
    for (int i = off; i < off + n; i++) {
      row[i] = (row[i] - m) - logSum;
    }
  }

  private static float sumExp(float[] row, int off, int n, int[] ids, int vocab, float a, float b, float c) {
    return ids == null
        ? FloatOps.sumExp(row, off, n, a, b, c)
        : FloatOps.sumExpAt(row, off, ids, n, vocab, a, b, c);
  }

  /** Where id is in the row (its index into ids, or id itself for a full row), −1 when it is not. */
  static int position(int[] ids, int n, int id) {
    if (ids == null) {
      return id >= 0 && id < n ? id : -1;
    }
    int k = Arrays.binarySearch(ids, 0, n, id);
    return k >= 0 ? k : -1;
  }

  /** Sets id to −∞; whether its value was {@code max} (NaN: never). */
  private static boolean ban(float[] row, int off, int n, int[] ids, int id, float max) {
    int k = position(ids, n, id);
    if (k < 0) {
      return false;
    }
    boolean wasMax = row[off + k] == max;
    row[off + k] = Float.NEGATIVE_INFINITY;
    return wasMax;
  }

  /** HF input_ids[i]: the start token, then the generated tokens. */
  private static int token(SearchConfig c, int[] generated, int i) {
    return i == 0 ? c.decoderStartId() : generated[i - 1];
  }

  /** Whether input_ids ends with the first {@code n} ids of {@code w}. */
  private static boolean endsWith(SearchConfig c, int[] generated, int nGenerated, int[] w, int n) {
    int len = nGenerated + 1;
    if (n > len) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (token(c, generated, len - n + i) != w[i]) {
        return false;
      }
    }
    return true;
  }

  /** Each distinct id of input_ids: negative scores × penalty, others ÷ penalty. */
  private static void repetitionPenalty(float[] row, int off, int n, int[] ids, int vocab, SearchConfig c,
      int[] generated, int nGenerated) {
    boolean[] seen = new boolean[vocab];
    float p = c.repetitionPenalty();
    for (int i = 0; i <= nGenerated; i++) {
      int id = token(c, generated, i);
      if (id >= 0 && id < vocab && !seen[id]) {
        seen[id] = true;
        int k = position(ids, n, id);
        if (k >= 0) {
          float s = row[off + k];
          row[off + k] = s < 0 ? s * p : s / p;
        }
      }
    }
  }

  /** Bans every id that would repeat an n-gram already in input_ids; whether one of them had {@code max}. */
  private static boolean noRepeatNgram(float[] row, int off, int n, int[] ids, SearchConfig c,
      int[] generated, int nGenerated, float max) {
    int size = c.noRepeatNgramSize();
    int len = nGenerated + 1;
    if (len + 1 < size) {
      return false;
    }
    boolean hit = false;
    int prefixStart = len - size + 1;
    for (int i = 0; i + size <= len; i++) {
      boolean match = true;
      for (int j = 0; j < size - 1 && match; j++) {
        match = token(c, generated, i + j) == token(c, generated, prefixStart + j);
      }
      if (match) {
        hit |= ban(row, off, n, ids, token(c, generated, i + size - 1), max);
      }
    }
    return hit;
  }
}
