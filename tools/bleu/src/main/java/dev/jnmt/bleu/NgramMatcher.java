package dev.jnmt.bleu;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-reference clipped n-gram matches between one hypothesis and each of its references, for
 * every order 1..N: {@code out[r][n-1] = Σ_g min(count_hyp(g), count_ref_r(g))}.
 *
 * <p>Symbols (code points, or word indexes) that occur in the hypothesis and in some reference get
 * small ids; every other symbol breaks n-grams, since an n-gram that contains it cannot match.
 * N-grams of ids are packed into longs ({@code bits} per id) and counted in {@link LongIntMap}s.
 * When the ids do not fit ({@code bits * N > 63}) the string twin {@link #matchStrings} is used.
 * Not thread-safe.
 */
final class NgramMatcher {
  private final LongIntMap inHyp = new LongIntMap(128);
  private final LongIntMap shared = new LongIntMap(128);
  private LongIntMap[] hypMaps = new LongIntMap[0];
  private LongIntMap[] refMaps = new LongIntMap[0];

  /**
   * Fills {@code out[r][n-1]}; returns false (leaving {@code out} unspecified) when the packed
   * representation does not fit.
   */
  boolean matchPacked(int[] hyp, int[][] refs, int order, long[][] out) {
    for (long[] row : out) {
      Arrays.fill(row, 0);
    }
    inHyp.clear();
    shared.clear();
    for (int s : hyp) {
      inHyp.add(s + 1L, 1);
    }
    int next = 0;
    for (int[] ref : refs) {
      for (int s : ref) {
        if (inHyp.get(s + 1L) > 0 && shared.get(s + 1L) == 0) {
          shared.add(s + 1L, ++next);
        }
      }
    }
    if (next == 0) {
      return true;
    }
    int bits = 32 - Integer.numberOfLeadingZeros(next);
    if ((long) bits * order > 63) {
      return false;
    }
    if (hypMaps.length < order) {
      hypMaps = grow(hypMaps, order);
      refMaps = grow(refMaps, order);
    }
    count(hyp, bits, order, hypMaps);
    for (int r = 0; r < refs.length; r++) {
      count(refs[r], bits, order, refMaps);
      for (int n = 0; n < order; n++) {
        LongIntMap h = hypMaps[n];
        LongIntMap rm = refMaps[n];
        long m = 0;
        for (int i = 0; i < h.size(); i++) {
          m += Math.min(h.valueAt(i), rm.get(h.keyAt(i)));
        }
        out[r][n] = m;
      }
    }
    return true;
  }

  private void count(int[] seq, int bits, int order, LongIntMap[] maps) {
    for (int n = 0; n < order; n++) {
      maps[n].clear();
    }
    int[] ids = new int[seq.length];
    for (int i = 0; i < seq.length; i++) {
      ids[i] = shared.get(seq[i] + 1L);
    }
    for (int i = 0; i < ids.length; i++) {
      long key = 0;
      for (int n = 0; n < order && i + n < ids.length; n++) {
        int id = ids[i + n];
        if (id == 0) {
          break;
        }
        key = key << bits | id;
        maps[n].add(key, 1);
      }
    }
  }

  private static LongIntMap[] grow(LongIntMap[] maps, int order) {
    LongIntMap[] out = Arrays.copyOf(maps, order);
    for (int i = maps.length; i < order; i++) {
      out[i] = new LongIntMap(128);
    }
    return out;
  }

  /**
   * The plain twin: n-grams as strings made by joining {@code n} consecutive tokens with {@code
   * sep} (unambiguous when tokens never contain {@code sep}, or when every token is one code point
   * and {@code sep} is empty).
   */
  static void matchStrings(String[] hyp, String[][] refs, int order, String sep, long[][] out) {
    for (int n = 1; n <= order; n++) {
      Map<String, Integer> h = counts(hyp, n, sep);
      for (int r = 0; r < refs.length; r++) {
        Map<String, Integer> rc = counts(refs[r], n, sep);
        long m = 0;
        for (Map.Entry<String, Integer> e : h.entrySet()) {
          m += Math.min(e.getValue(), rc.getOrDefault(e.getKey(), 0));
        }
        out[r][n - 1] = m;
      }
    }
  }

  private static Map<String, Integer> counts(String[] tokens, int n, String sep) {
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i + n <= tokens.length; i++) {
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < n; k++) {
        if (k > 0) {
          sb.append(sep);
        }
        sb.append(tokens[i + k]);
      }
      m.merge(sb.toString(), 1, Integer::sum);
    }
    return m;
  }
}
