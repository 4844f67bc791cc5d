package dev.jnmt.decoder.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.config.GenerationConfig.EarlyStopping;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The search's unwritten step scores ({@link LogitsProcessor#prepare} + {@link GreedySearch#best} /
 * {@link BeamSearch#topCandidates}) against the scores written out ({@link LogitsProcessor#beamScores})
 * and the plain scans over them (argmax, the one-by-one top-2K insertion): the same bits, tokens and
 * order, for full rows and for shortlist rows (−∞ outside their ids), with every logits processor, and
 * with logits closer than the scores' rounding (where the first largest logit is not the first largest
 * score).
 */
class StepScoresTest {

  private static final int V = 203;
  private static final int EOS = 0;
  private static final int PAD = V - 1;

  private static SearchConfig config(boolean renorm, int minLength, int ngram, float penalty, int maxLength) {
    return new SearchConfig(4, 1, maxLength, 1f, 0f, EarlyStopping.FALSE, renorm, EOS,
        new int[][] {{PAD}, {7, 9}}, EOS, PAD, minLength, ngram, penalty);
  }

  private static final SearchConfig[] CONFIGS = {
    config(false, 0, 0, 1f, 64), config(true, 0, 0, 1f, 64), config(true, 5, 0, 1f, 64),
    config(true, 0, 2, 1f, 64), config(false, 3, 2, 1f, 64), config(true, 0, 0, 1.3f, 64),
    config(true, 0, 0, 1f, 5), config(false, 0, 0, 1f, 5),
  };

  /** Random logits with near-ties of the largest: values a few ulp below it, and exact duplicates. */
  private static float[] row(SplittableRandom r) {
    float[] x = new float[V];
    for (int i = 0; i < V; i++) {
      x[i] = (float) (r.nextGaussian() * 3);
    }
    int at = 20 + r.nextInt(V - 20);
    float top = 14f + r.nextInt(4);
    x[at] = top;
    for (int j = 0; j < 4; j++) {
      int i = r.nextInt(at);
      x[i] = r.nextBoolean() ? top - Math.ulp(top) * (1 + r.nextInt(3)) : top;
    }
    if (r.nextInt(4) == 0) {
      x[9] = top + 1f; // a banned id holding the largest logit (after 7, bad words ban 9)
    }
    return x;
  }

  private static int[] history(SplittableRandom r, int n) {
    int[] h = new int[n];
    for (int i = 0; i < n; i++) {
      h[i] = r.nextInt(3) == 0 ? 7 : 1 + r.nextInt(12);
    }
    return h;
  }

  /** Ids of a shortlist row: eos, pad and a random third of the rest, ascending. */
  private static int[] ids(SplittableRandom r) {
    int[] ids = new int[V];
    int k = 0;
    for (int i = 0; i < V; i++) {
      if (i == EOS || i == PAD || i == 7 || i == 9 || r.nextInt(3) == 0) {
        ids[k++] = i;
      }
    }
    return Arrays.copyOf(ids, k);
  }

  @Test
  void unwrittenScoresAreTheWrittenOnesAndTheGreedyTokenIsTheirArgmax() {
    SplittableRandom r = new SplittableRandom(14);
    int roundingTies = 0;
    for (SearchConfig c : CONFIGS) {
      for (int trial = 0; trial < 60; trial++) {
        float[] logits = row(r);
        int[] hist = history(r, r.nextInt(6));
        boolean restricted = trial % 2 == 1;
        int[] ids = restricted ? ids(r) : null;
        int n = restricted ? ids.length : V;
        float[] compact = new float[n];
        float[] full = new float[V];
        Arrays.fill(full, Float.NEGATIVE_INFINITY);
        for (int k = 0; k < n; k++) {
          int id = restricted ? ids[k] : k;
          compact[k] = logits[id];
          full[id] = logits[id];
        }
        float[] written = full.clone();
        LogitsProcessor.beamScores(written, 0, V, null, V, c, hist, hist.length);
        float[] t = new float[LogitsProcessor.T];
        float[] prepared = compact.clone();
        LogitsProcessor.prepare(prepared, 0, n, ids, V, c, hist, hist.length, t, 0);
        boolean[] listed = new boolean[V];
        for (int k = 0; k < n; k++) {
          int id = restricted ? ids[k] : k;
          listed[id] = true;
          assertEquals(Float.floatToRawIntBits(written[id]), Float.floatToRawIntBits(LogitsProcessor.score(prepared[k], t, 0)),
              c + " id " + id);
        }
        for (int id = 0; id < V; id++) {
          assertTrue(listed[id] || written[id] == Float.NEGATIVE_INFINITY, "id " + id + " outside the row");
        }
        // written out over the row's own ids, as the decoder session hands them over
        float[] ownWritten = compact.clone();
        LogitsProcessor.beamScores(ownWritten, 0, n, ids, V, c, hist, hist.length);
        for (int k = 0; k < n; k++) {
          assertEquals(Float.floatToRawIntBits(written[restricted ? ids[k] : k]), Float.floatToRawIntBits(ownWritten[k]));
        }
        float[] score = new float[1];
        int want = GreedySearch.argmax(written, 0, V);
        assertEquals(want, GreedySearch.best(prepared, 0, n, ids, V, t, score), c + " trial " + trial);
        assertEquals(Float.floatToRawIntBits(written[want]), Float.floatToRawIntBits(score[0]));
        if (want != GreedySearch.argmax(full, 0, V)) {
          roundingTies++;
        }
      }
    }
    assertTrue(roundingTies > 20, "the rows have near-ties that the scores' rounding merges: " + roundingTies);
  }

  @Test
  void topCandidatesAreTheOneByOneScanOfTheWrittenScores() {
    SplittableRandom r = new SplittableRandom(12);
    int k = 4;
    int belowTwoK = 0;
    for (SearchConfig c : CONFIGS) {
      for (int trial = 0; trial < 40; trial++) {
        boolean restricted = trial % 2 == 1;
        int rowsPer = trial % 5 == 0 ? 1 : k;
        float[] beamScores = new float[k];
        for (int b = 0; b < k; b++) {
          beamScores[b] = trial % 3 == 0 ? 0f : (float) (-r.nextDouble() * 4);
        }
        int[] ids = restricted ? ids(r) : null; // the rows of one sentence share their ids
        int n = restricted ? ids.length : V;
        int stride = n + 3;
        float[] x = new float[rowsPer * stride];
        float[] t = new float[rowsPer * LogitsProcessor.T];
        int[][] rowIds = new int[rowsPer][];
        float[] written = new float[rowsPer * V];
        for (int row = 0; row < rowsPer; row++) {
          float[] logits = row(r);
          // every row at the forced </s> in some trials: fewer than 2K candidates above −∞
          boolean forced = c.maxLength() == 5 && trial % 4 < 2;
          int[] hist = history(r, forced ? 3 : r.nextInt(5));
          float[] full = new float[V];
          Arrays.fill(full, Float.NEGATIVE_INFINITY);
          for (int j = 0; j < n; j++) {
            int id = restricted ? ids[j] : j;
            x[row * stride + j] = logits[id];
            full[id] = logits[id];
          }
          LogitsProcessor.beamScores(full, 0, V, null, V, c, hist, hist.length);
          System.arraycopy(full, 0, written, row * V, V);
          rowIds[row] = ids;
          LogitsProcessor.prepare(x, row * stride, n, ids, V, c, hist, hist.length, t, row * LogitsProcessor.T);
        }
        float[] s1 = new float[2 * k];
        int[] b1 = new int[2 * k];
        int[] k1 = new int[2 * k];
        float[] s2 = s1.clone();
        int[] b2 = b1.clone();
        int[] k2 = k1.clone();
        int want = oneByOne(beamScores, written, rowsPer, s1, b1, k1);
        if (s1[2 * k - 1] == Float.NEGATIVE_INFINITY) {
          belowTwoK++;
        }
        int got = BeamSearch.topCandidates(beamScores, x, t, rowIds, 0, rowsPer, stride, V, s2, b2, k2);
        String what = c + " trial " + trial;
        assertEquals(want, got, what);
        assertArrayEquals(k1, k2, what + " tokens");
        assertArrayEquals(b1, b2, what + " beams");
        for (int j = 0; j < want; j++) {
          assertEquals(Float.floatToRawIntBits(s1[j]), Float.floatToRawIntBits(s2[j]), what + " score " + j);
        }
      }
    }
    assertTrue(belowTwoK >= 8, "sentences with fewer than 2K candidates above -inf: " + belowTwoK);
  }

  /** The reference: every candidate of the written scores in flat order, inserted one by one. */
  private static int oneByOne(float[] beamScores, float[] lp, int rowsPer, float[] outScore, int[] outBeam, int[] outToken) {
    int cap = outScore.length;
    int count = 0;
    for (int b = 0; b < beamScores.length; b++) {
      int off = (rowsPer == 1 ? 0 : b) * V;
      for (int v = 0; v < V; v++) {
        float sc = beamScores[b] + lp[off + v];
        if (count == cap && !(sc > outScore[cap - 1]) || Float.isNaN(sc)) {
          continue;
        }
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
}
