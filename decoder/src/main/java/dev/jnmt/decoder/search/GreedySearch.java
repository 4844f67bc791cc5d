package dev.jnmt.decoder.search;

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
    float[] logits = new float[rows * vocab];
    for (int curLen = 1; curLen < c.maxLength() && rows > 0; curLen++) {
      session.step(input, logits);
      int keep = 0;
      int[] parents = new int[rows];
      int[] nextInput = new int[rows];
      for (int r = 0; r < rows; r++) {
        int off = r * vocab;
        int s = active[r];
        LogitsProcessor.beamScores(logits, off, vocab, c, tokens[s], lengths[s]);
        int best = argmax(logits, off, vocab);
        tokens[s][lengths[s]++] = best;
        logProbs[s] += logits[off + best];
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
      int[] t = Arrays.copyOf(tokens[s], lengths[s]);
      out.add(List.of(new Hypothesis(t, c.normalise(logProbs[s], Math.max(1, t.length)), logProbs[s])));
    }
    return out;
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
