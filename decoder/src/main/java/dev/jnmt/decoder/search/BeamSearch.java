package dev.jnmt.decoder.search;

import dev.jnmt.decoder.config.GenerationConfig.EarlyStopping;
import dev.jnmt.decoder.ops.FloatOps;
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
    int stride = session.logitsStride();
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
    float[] logits = new float[sentences * stride];
    float[] t = new float[sentences * k * LogitsProcessor.T];
    int[][] rowIds = new int[sentences * k][];
    int twoK = 2 * k;
    float[] candScore = new float[twoK];
    int[] candBeam = new int[twoK];
    int[] candToken = new int[twoK];
    for (int curLen = 1; curLen < c.maxLength() && nActive > 0; curLen++) {
      int rows = nActive * rowsPer;
      if (logits.length < rows * stride) {
        logits = new float[rows * stride];
      }
      session.step(input, logits);
      for (int a = 0; a < nActive; a++) {
        Sentence st = state[active[a]];
        for (int b = 0; b < rowsPer; b++) {
          int[] history = st.seqs[b];
          int r = a * rowsPer + b;
          int[] ids = session.rowIds(r);
          rowIds[r] = ids;
          LogitsProcessor.prepare(logits, r * stride, ids == null ? vocab : ids.length, ids, vocab, c,
              history, history.length, t, r * LogitsProcessor.T);
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
        int count = topCandidates(st.scores, logits, t, rowIds, rowBase, rowsPer, stride, vocab,
            candScore, candBeam, candToken);
        if (count < k || candScore[0] == Float.NEGATIVE_INFINITY) {
          // NaN scores are skipped: fewer than K candidates, or none better than a banned token, means the
          // model's output is NaN
          throw GreedySearch.allNaN();
        }
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
   * The top 2K candidates of one sentence, sorted by score descending and flat index (beam·V + token)
   * ascending, from rows {@link LogitsProcessor#prepare}d with transforms {@code t} (T floats per row) over
   * the ids {@code rowIds[row]} (null: all V). With rowsPer == 1 (first step) every beam reads the one decoder
   * row. The result is that of scanning the scores written out over the whole vocabulary (−∞ outside a
   * row's ids) one by one: once 2K candidates are held, {@link FloatOps#firstAbove} skips to the next score
   * above the current 2K-th (which only rises), and a shortlist sentence with fewer than 2K candidates
   * above −∞ (a forced {@code </s>}, many bans) is scanned again written out, so that its −∞ candidates
   * are the same ids as without the shortlist's rows (the lowest flat indices, outside its ids too).
   *
   * @return the number of candidates (2K unless the sentence has fewer non-NaN candidates)
   */
  static int topCandidates(float[] beamScores, float[] x, float[] t, int[][] rowIds, int rowBase, int rowsPer,
      int stride, int vocab, float[] outScore, int[] outBeam, int[] outToken) {
    int count = 0;
    boolean restricted = false;
    for (int b = 0; b < beamScores.length; b++) {
      int row = rowBase + (rowsPer == 1 ? 0 : b);
      int[] ids = rowIds[row];
      restricted |= ids != null;
      count = scan(beamScores[b], b, x, row * stride, ids == null ? vocab : ids.length, ids, t,
          row * LogitsProcessor.T, count, outScore, outBeam, outToken);
    }
    int cap = outScore.length;
    if (restricted && (count < cap || outScore[cap - 1] == Float.NEGATIVE_INFINITY)) {
      float[] full = new float[vocab];
      count = 0;
      for (int b = 0; b < beamScores.length; b++) {
        int row = rowBase + (rowsPer == 1 ? 0 : b);
        int[] ids = rowIds[row];
        Arrays.fill(full, Float.NEGATIVE_INFINITY);
        int n = ids == null ? vocab : ids.length;
        int to = row * LogitsProcessor.T;
        for (int k = 0; k < n; k++) {
          full[ids == null ? k : ids[k]] = LogitsProcessor.score(x[row * stride + k], t, to);
        }
        count = scan(beamScores[b], b, full, 0, vocab, null, IDENTITY, 0, count, outScore, outBeam, outToken);
      }
    }
    return count;
  }

  private static final float[] IDENTITY = new float[LogitsProcessor.T];

  /** Adds one beam's candidates (row x[off, off+n) of ids, transform t[to..]); returns the new count. */
  private static int scan(float base, int b, float[] x, int off, int n, int[] ids, float[] t, int to, int count,
      float[] outScore, int[] outBeam, int[] outToken) {
    int cap = outScore.length;
    float t0 = t[to];
    float t1 = t[to + 1];
    float t2 = t[to + 2];
    float t3 = t[to + 3];
    for (int k = 0; k < n; k++) {
      if (count == cap) {
        k = FloatOps.firstAbove(x, off, k, n, t0, t1, t2, t3, base, outScore[cap - 1]);
        if (k == n) {
          break;
        }
      }
      float sc = base + ((((x[off + k] - t0) - t1) - t2) - t3);
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
      outToken[pos] = ids == null ? k : ids[k];
      if (count < cap) {
        count++;
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
