package dev.jnmt.decoder.search;

import dev.jnmt.decoder.config.GenerationConfig.EarlyStopping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Beam search as Hugging Face transformers ≥ 4.50 does it ({@code generation/utils.py}), per
 * sentence with K = beamSize:
 *
 * <ol>
 *   <li>Running beams start as K copies of the start token with scores [0, −1e9, …, −1e9], so the first
 *       step expands beam 0 only. Candidate score = running score + step log-probability (float32).
 *   <li>The top 2K candidates are kept. A candidate <em>hits</em> when its token is EOS or the sequence
 *       reaches max_length.
 *   <li>The next running beams are the top K of {@code score − 1e9·hit}: finished candidates drop out
 *       (and if fewer than K candidates did not hit, hit ones continue with ≈ −1e9, as in HF).
 *   <li>A hit candidate becomes a finished hypothesis only if its rank is below K, the sentence is still
 *       improvable, and (early_stopping=true only) not all K finished slots are full. Its score is
 *       {@link SearchConfig#normalise}; the K best finished hypotheses are kept.
 *   <li>Improvable: some finished slot is empty, or the best running beam normalised by the length
 *       generated so far (max_length − 1 for early_stopping="never" with α &gt; 0) beats the worst
 *       finished score. A sentence that is no longer improvable stops (its result can no longer change,
 *       so it leaves the batch); all stop at max_length.
 * </ol>
 *
 * <p>Deterministic tie-breaking (torch.topk leaves it unspecified): candidates with equal scores are
 * ordered by beam index, then token id (the flat index beam·V + token, ascending); running beams with
 * equal adjusted scores keep candidate rank order; when merging finished hypotheses, equal scores keep
 * the older hypothesis first, then candidate rank order.
 *
 * <p>The decoder computes one row for the K identical first-step beams of a sentence (they see the same
 * input) and the search uses its scores for all K; the result is the same as computing K rows.
 */
public final class BeamSearch {

  private static final float NEG_INIT = -1.0e9f;

  private BeamSearch() {}

  private static final class Sentence {
    final int[][] seqs;
    final float[] scores;
    final List<Finished> finished = new ArrayList<>();
    boolean improvable = true;
    boolean done;

    Sentence(int k) {
      seqs = new int[k][0];
      scores = new float[k];
      Arrays.fill(scores, NEG_INIT);
      scores[0] = 0f;
    }
  }

  private record Finished(int[] tokens, float score, float logProb) {}

  /** Decodes the {@code sentences} rows of a fresh session; up to nBest hypotheses per sentence, best first. */
  public static List<List<Hypothesis>> run(DecoderSession session, int sentences, SearchConfig c) {
    if (c.beamSize() == 1) {
      return GreedySearch.run(session, sentences, c);
    }
    int k = c.beamSize();
    int vocab = session.vocabSize();
    Sentence[] state = new Sentence[sentences];
    for (int s = 0; s < sentences; s++) {
      state[s] = new Sentence(k);
    }
    // Row layout: active sentences in order, each with rowsPer rows (1 at the first step, then K).
    int[] active = new int[sentences];
    for (int s = 0; s < sentences; s++) {
      active[s] = s;
    }
    int nActive = sentences;
    int rowsPer = 1;
    int[] input = new int[sentences];
    Arrays.fill(input, c.decoderStartId());
    float[] logits = new float[sentences * vocab];
    int twoK = 2 * k;
    float[] candScore = new float[twoK];
    int[] candBeam = new int[twoK];
    int[] candToken = new int[twoK];
    for (int curLen = 1; curLen < c.maxLength() && nActive > 0; curLen++) {
      int rows = nActive * rowsPer;
      if (logits.length < rows * vocab) {
        logits = new float[rows * vocab];
      }
      session.step(input, logits);
      for (int a = 0; a < nActive; a++) {
        Sentence st = state[active[a]];
        for (int b = 0; b < rowsPer; b++) {
          int[] history = st.seqs[b];
          LogitsProcessor.beamScores(
              logits, (a * rowsPer + b) * vocab, vocab, c, history, history.length);
        }
      }
      boolean lastStep = curLen + 1 >= c.maxLength();
      int[] nextParents = new int[nActive * k];
      int[] nextInput = new int[nActive * k];
      int[] nextActive = new int[nActive];
      int nNext = 0;
      for (int a = 0; a < nActive; a++) {
        Sentence st = state[active[a]];
        int rowBase = a * rowsPer;
        int count =
            topCandidates(st.scores, logits, rowBase, rowsPer, vocab, candScore, candBeam, candToken);
        // Running beams for the next step: top K of score − 1e9·hit, rank order on ties.
        float[] adjusted = new float[count];
        boolean[] hit = new boolean[count];
        for (int j = 0; j < count; j++) {
          hit[j] = candToken[j] == c.eosId() || lastStep;
          adjusted[j] = candScore[j] + (hit[j] ? NEG_INIT : 0f);
        }
        int[] order = topIndices(adjusted, count, Math.min(k, count));
        // Finished hypotheses: hit candidates ranked in the top K.
        boolean full = st.finished.size() >= k;
        boolean mayFinish = st.improvable && !(c.earlyStopping() == EarlyStopping.TRUE && full);
        if (mayFinish) {
          List<Finished> merged = new ArrayList<>(st.finished);
          for (int j = 0; j < Math.min(k, count); j++) {
            if (hit[j] && candScore[j] != Float.NEGATIVE_INFINITY) {
              int[] seq = append(st.seqs[candBeam[j]], candToken[j]);
              merged.add(new Finished(seq, c.normalise(candScore[j], seq.length), candScore[j]));
            }
          }
          if (merged.size() > st.finished.size()) {
            // Stable sort: older hypotheses first among equal scores, then candidate rank.
            merged.sort((x, y) -> descending(x.score(), y.score()));
            st.finished.clear();
            st.finished.addAll(merged.subList(0, Math.min(k, merged.size())));
          }
        }
        int[][] newSeqs = new int[k][];
        float[] newScores = new float[k];
        Arrays.fill(newScores, NEG_INIT);
        for (int i = 0; i < order.length; i++) {
          int j = order[i];
          newSeqs[i] = append(st.seqs[candBeam[j]], candToken[j]);
          newScores[i] = adjusted[j];
        }
        for (int i = order.length; i < k; i++) {
          newSeqs[i] = newSeqs[0];
        }
        int[] parentRow = new int[k];
        for (int i = 0; i < k; i++) {
          int j = order[Math.min(i, order.length - 1)];
          parentRow[i] = rowBase + (rowsPer == 1 ? 0 : candBeam[j]);
        }
        System.arraycopy(newScores, 0, st.scores, 0, k);
        System.arraycopy(newSeqs, 0, st.seqs, 0, k);
        // Early-stop heuristic after cur_len += 1.
        int newLen = curLen + 1;
        int bestLen =
            c.earlyStopping() == EarlyStopping.NEVER && c.lengthPenalty() > 0f
                ? c.maxLength() - 1
                : newLen - 1;
        float best = c.normalise(st.scores[0], bestLen);
        float worst = NEG_INIT;
        if (st.finished.size() >= k) {
          worst = Float.POSITIVE_INFINITY;
          for (Finished f : st.finished) {
            worst = Math.min(worst, f.score());
          }
        }
        st.improvable = st.improvable && best > worst;
        boolean stop =
            !st.improvable
                || lastStep
                || (c.earlyStopping() == EarlyStopping.TRUE && st.finished.size() >= k);
        if (stop) {
          st.done = true;
        } else {
          for (int i = 0; i < k; i++) {
            nextParents[nNext * k + i] = parentRow[i];
            nextInput[nNext * k + i] = st.seqs[i][st.seqs[i].length - 1];
          }
          nextActive[nNext++] = active[a];
        }
      }
      if (nNext == 0) {
        break;
      }
      session.reorder(Arrays.copyOf(nextParents, nNext * k));
      input = Arrays.copyOf(nextInput, nNext * k);
      active = nextActive;
      nActive = nNext;
      rowsPer = k;
    }
    List<List<Hypothesis>> out = new ArrayList<>(sentences);
    for (Sentence st : state) {
      List<Hypothesis> hyps = new ArrayList<>();
      for (int i = 0; i < Math.min(c.nBest(), st.finished.size()); i++) {
        Finished f = st.finished.get(i);
        hyps.add(new Hypothesis(f.tokens(), f.score(), f.logProb()));
      }
      if (hyps.isEmpty()) {
        // Only when every score collapsed to −1e9 or below: return the best running beam unfinished.
        int[] seq = st.seqs[0];
        hyps.add(new Hypothesis(seq, c.normalise(st.scores[0], Math.max(1, seq.length)), st.scores[0]));
      }
      out.add(List.copyOf(hyps));
    }
    return out;
  }

  /** Descending order that treats −0 and +0 as equal (Float.compare does not). */
  private static int descending(float a, float b) {
    return a > b ? -1 : a < b ? 1 : 0;
  }

  private static int[] append(int[] seq, int token) {
    int[] r = Arrays.copyOf(seq, seq.length + 1);
    r[seq.length] = token;
    return r;
  }

  /**
   * The top 2K candidates of one sentence, sorted by score descending and flat index ascending. With
   * rowsPer == 1 (first step) every beam reads the one decoder row.
   *
   * @return the number of candidates (2K unless the sentence has fewer non-NaN candidates)
   */
  static int topCandidates(
      float[] beamScores,
      float[] lp,
      int rowBase,
      int rowsPer,
      int vocab,
      float[] outScore,
      int[] outBeam,
      int[] outToken) {
    int cap = outScore.length;
    int count = 0;
    for (int b = 0; b < beamScores.length; b++) {
      int off = (rowBase + (rowsPer == 1 ? 0 : b)) * vocab;
      float base = beamScores[b];
      for (int v = 0; v < vocab; v++) {
        float sc = base + lp[off + v];
        if (count == cap && !(sc > outScore[cap - 1])) {
          continue;
        }
        if (Float.isNaN(sc)) {
          continue;
        }
        // Insert after every entry with score >= sc: earlier flat indices win ties.
        int pos = count == cap ? cap - 1 : count;
        while (pos > 0 && outScore[pos - 1] < sc) {
          if (pos < cap) {
            outScore[pos] = outScore[pos - 1];
            outBeam[pos] = outBeam[pos - 1];
            outToken[pos] = outToken[pos - 1];
          }
          pos--;
        }
        outScore[pos] = sc;
        outBeam[pos] = b;
        outToken[pos] = v;
        if (count < cap) {
          count++;
        }
      }
    }
    return count;
  }

  /** Indices of the n largest values, descending, lower index first on ties. */
  static int[] topIndices(float[] values, int count, int n) {
    Integer[] idx = new Integer[count];
    for (int i = 0; i < count; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, (x, y) -> descending(values[x], values[y]));
    int[] r = new int[n];
    for (int i = 0; i < n; i++) {
      r[i] = idx[i];
    }
    return r;
  }
}
