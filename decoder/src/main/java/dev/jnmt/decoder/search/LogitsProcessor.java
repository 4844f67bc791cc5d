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
 */
final class LogitsProcessor {

  private LogitsProcessor() {}

  /**
   * Scores of one row in place.
   *
   * @param generated the tokens generated so far by this row (start token excluded)
   * @param nGenerated how many of {@code generated} are valid
   */
  static void beamScores(
      float[] row, int off, int vocab, SearchConfig c, int[] generated, int nGenerated) {
    int curLen = nGenerated + 1;
    FloatOps.logSoftmax(row, off, vocab);
    if (c.repetitionPenalty() != 1f) {
      repetitionPenalty(row, off, vocab, c, generated, nGenerated);
    }
    if (c.noRepeatNgramSize() > 0) {
      noRepeatNgram(row, off, vocab, c, generated, nGenerated);
    }
    for (int[] w : c.badWords()) {
      if (endsWith(c, generated, nGenerated, w, w.length - 1)) {
        ban(row, off, vocab, w[w.length - 1]);
      }
    }
    if (curLen < c.minLength()) {
      ban(row, off, vocab, c.eosId());
    }
    if (c.forcedEosId() >= 0 && curLen == c.maxLength() - 1) {
      Arrays.fill(row, off, off + vocab, Float.NEGATIVE_INFINITY);
      row[off + c.forcedEosId()] = 0f;
    }
    if (c.renormalizeLogits()) {
      FloatOps.logSoftmax(row, off, vocab);
    }
  }

  private static void ban(float[] row, int off, int vocab, int id) {
    if (id >= 0 && id < vocab) {
      row[off + id] = Float.NEGATIVE_INFINITY;
    }
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
  private static void repetitionPenalty(
      float[] row, int off, int vocab, SearchConfig c, int[] generated, int nGenerated) {
    boolean[] seen = new boolean[vocab];
    float p = c.repetitionPenalty();
    for (int i = 0; i <= nGenerated; i++) {
      int id = token(c, generated, i);
      if (id >= 0 && id < vocab && !seen[id]) {
        seen[id] = true;
        float s = row[off + id];
        row[off + id] = s < 0 ? s * p : s / p;
      }
    }
  }

  /** Bans every id that would repeat an n-gram already in input_ids. */
  private static void noRepeatNgram(
      float[] row, int off, int vocab, SearchConfig c, int[] generated, int nGenerated) {
    int n = c.noRepeatNgramSize();
    int len = nGenerated + 1;
    if (len + 1 < n) {
      return;
    }
    int prefixStart = len - n + 1;
    for (int i = 0; i + n <= len; i++) {
      boolean match = true;
      for (int j = 0; j < n - 1 && match; j++) {
        match = token(c, generated, i + j) == token(c, generated, prefixStart + j);
      }
      if (match) {
        ban(row, off, vocab, token(c, generated, i + n - 1));
      }
    }
  }
}
