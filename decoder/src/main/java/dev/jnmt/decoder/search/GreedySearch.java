package dev.jnmt.decoder.search;

import dev.jnmt.decoder.ops.FloatOps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Greedy decoding as Hugging Face does it for num_beams = 1: at each step the most probable token
 * after the logits processors (ties go to the lowest id, as torch.argmax), until {@code </s>} or
 * max_length. Finished sentences leave the batch.
 *
 * <p>The argmax is taken over the beam-search step scores (log-softmax, processors, optional
 * renormalisation) rather than over the processed raw logits as HF's greedy path does: the order is
 * the same except for values closer than float rounding, it matches the project's PyTorch reference,
 * and the summed log-probability comes for free.
 */
public final class GreedySearch {

  private GreedySearch() {}

  /** Decodes the {@code sentences} rows of a fresh session; one hypothesis per sentence. */
  public static List<List<Hypothesis>> run(DecoderSession session, int sentences, SearchConfig c) {
    int vocab = session.vocabSize();
    int stride = session.logitsStride();
    int[][] tokens = new int[sentences][c.maxLength()];
    int[] lengths = new int[sentences];
    float[] logProbs = new float[sentences];
    int[] active = new int[sentences];
    for (int s = 0; s < sentences; s++) {
      active[s] = s;
    }
    int rows = sentences;
    int[] input = new int[rows];
    Arrays.fill(input, c.decoderStartId());
    float[] logits = new float[rows * stride];
    float[] t = new float[LogitsProcessor.T];
    float[] chosen = new float[1];
    for (int curLen = 1; curLen < c.maxLength() && rows > 0; curLen++) {
      session.step(input, logits);
      int keep = 0;
      int[] parents = new int[rows];
      int[] nextInput = new int[rows];
      for (int r = 0; r < rows; r++) {
        int off = r * stride;
        int s = active[r];
        int[] ids = session.rowIds(r);
        int n = ids == null ? vocab : ids.length;
        LogitsProcessor.prepare(logits, off, n, ids, vocab, c, tokens[s], lengths[s], t, 0);
        int best = best(logits, off, n, ids, vocab, t, chosen);
        tokens[s][lengths[s]++] = best;
        logProbs[s] += chosen[0];
        if (best != c.eosId()) {
          parents[keep] = r;
          active[keep] = s;
          nextInput[keep] = best;
          keep++;
        }
      }
      if (keep < rows) {
        session.reorder(Arrays.copyOf(parents, keep));
      }
      rows = keep;
      input = Arrays.copyOf(nextInput, keep);
    }
    List<List<Hypothesis>> out = new ArrayList<>(sentences);
    for (int s = 0; s < sentences; s++) {
      int[] t2 = Arrays.copyOf(tokens[s], lengths[s]);
      out.add(List.of(new Hypothesis(t2, c.normalise(logProbs[s], Math.max(1, t2.length)), logProbs[s])));
    }
    return out;
  }

  /**
   * The token {@link #argmax} would pick from the row's scores written out over the whole vocabulary
   * (−∞ outside {@code ids}), from a row {@link LogitsProcessor#prepare}d with transform t; its score goes
   * to {@code score[0]}. Usually one pass: the largest score is that of the largest logit (scores are
   * monotone in the logit), and the token is the first whose score equals it — not necessarily the first
   * largest logit, since logits closer than the score's rounding get equal scores.
   */
  static int best(float[] row, int off, int n, int[] ids, int vocab, float[] t, float[] score) {
    float top = LogitsProcessor.score(t[4], t, 0);
    if (Float.isFinite(top)) {
      int k = FloatOps.firstAbove(row, off, 0, n, t[0], t[1], t[2], t[3], 0f, Math.nextDown(top));
      if (k < n) {
        score[0] = LogitsProcessor.score(row[off + k], t, 0);
        return ids == null ? k : ids[k];
      }
    }
    // NaN or nothing above −∞: the written-out row decides (same token, same error)
    float[] full = new float[vocab];
    Arrays.fill(full, Float.NEGATIVE_INFINITY);
    for (int k = 0; k < n; k++) {
      full[ids == null ? k : ids[k]] = LogitsProcessor.score(row[off + k], t, 0);
    }
    int id = argmax(full, 0, vocab);
    score[0] = full[id];
    return id;
  }

  /** The error when a step's scores are all NaN: a clear message instead of a garbage token or an index error. */
  static IllegalStateException allNaN() {
    return new IllegalStateException("the model produced NaN scores for every candidate token"
        + " (NaN or infinite values in the weights or an overflow in the activations)");
  }

  /** Index of the largest value, the first on ties; NaN is never chosen; NaN where nothing else is finite is an error. */
  static int argmax(float[] x, int off, int n) {
    int best = 0;
    float bv = Float.NEGATIVE_INFINITY;
    boolean found = false;
    for (int i = 0; i < n; i++) {
      float v = x[off + i];
      if (v > bv || (!found && v == bv)) {
        bv = v;
        best = i;
        found = true;
      }
    }
    if (!found || bv == Float.NEGATIVE_INFINITY && hasNaN(x, off, n)) {
      throw allNaN(); // every token NaN, or NaN where the processors did not ban it
    }
    return best;
  }

  private static boolean hasNaN(float[] x, int off, int n) {
    for (int i = 0; i < n; i++) {
      if (Float.isNaN(x[off + i])) {
        return true;
      }
    }
    return false;
  }
}
