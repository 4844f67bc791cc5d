package dev.jnmt.bleu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * chrF and chrF++ exactly as sacrebleu {@value SacreBleu#VERSION} computes them.
 *
 * <p>Per segment and order: character n-grams (1..{@code charOrder}) over the line with all
 * whitespace removed (unless {@code whitespace}), and for chrF++ word n-grams (1..{@code
 * wordOrder}) over the words, where a word longer than one character loses one ASCII punctuation
 * mark as a separate word: the last character if it is one, else the first. Each order contributes
 * {@code [hyp, ref, match]} counts (hyp is recorded as 0 when the reference has no n-gram of that
 * order). With several references, each segment keeps the counts of the reference with the best
 * sentence-level F (first one on ties). The summed counts give the score: by default the mean
 * precision and mean recall over the orders present on both sides, combined into F-beta; with
 * {@code epsSmoothing}, the mean of per-order F scores with 1e-16 for empty orders (chrF++.py,
 * Moses and NLTK style).
 *
 * <p>Instances keep scratch buffers and are not thread-safe.
 */
public final class Chrf {

  /** {@code string.punctuation}: the characters chrF++ splits off word ends. */
  private static final String PUNCTS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  private static final double EPS = 1e-16;

  /**
   * chrF settings.
   *
   * @param charOrder character n-gram order ({@code -cc}, default 6)
   * @param wordOrder word n-gram order ({@code -cw}, default 0; 2 gives chrF++)
   * @param beta recall weight ({@code --chrf-beta}, default 2)
   * @param lowercase lowercase both sides ({@code --chrf-lowercase})
   * @param whitespace keep whitespace inside character n-grams ({@code --chrf-whitespace})
   * @param epsSmoothing average per-order F scores with epsilon smoothing instead of averaging
   *     precision and recall over the effective orders ({@code --chrf-eps-smoothing})
   */
  public record Options(
      int charOrder,
      int wordOrder,
      int beta,
      boolean lowercase,
      boolean whitespace,
      boolean epsSmoothing) {

    /** chrF2 with sacrebleu's defaults. */
    public static final Options DEFAULT = new Options(6, 0, 2, false, false, false);

    /** chrF2++ (word order 2). */
    public static final Options CHRF_PLUS_PLUS = new Options(6, 2, 2, false, false, false);

    public Options {
      if (charOrder < 0 || wordOrder < 0 || charOrder + wordOrder == 0) {
        throw new IllegalArgumentException(
            "chrF needs charOrder >= 0, wordOrder >= 0 and at least one order, got "
                + charOrder
                + " and "
                + wordOrder);
      }
    }
  }

  private final Options options;
  private final int orders;
  private final NgramMatcher matcher = new NgramMatcher();
  private boolean forceStringKeys;

  public Chrf(Options options) {
    this.options = Objects.requireNonNull(options);
    this.orders = options.charOrder() + options.wordOrder();
  }

  public Options options() {
    return options;
  }

  /** The number of statistics per segment: 3 per order. */
  public int statsSize() {
    return 3 * orders;
  }

  private String preprocess(String s) {
    return options.lowercase() ? Py.lower(s) : s;
  }

  /**
   * sacrebleu's {@code CHRF._remove_punctuation}: words of a line, with one ASCII punctuation mark
   * split off the end, or else off the start, of each word longer than one character.
   */
  static List<String> words(String line) {
    List<String> out = new ArrayList<>();
    for (String w : Py.split(line)) {
      if (w.codePointCount(0, w.length()) == 1) {
        out.add(w);
      } else if (PUNCTS.indexOf(w.charAt(w.length() - 1)) >= 0) {
        out.add(w.substring(0, w.length() - 1));
        out.add(w.substring(w.length() - 1));
      } else if (PUNCTS.indexOf(w.charAt(0)) >= 0) {
        out.add(w.substring(0, 1));
        out.add(w.substring(1));
      } else {
        out.add(w);
      }
    }
    return out;
  }

  /**
   * Statistics of one segment: {@code [hyp, ref, match]} per character order then per word order,
   * taken from the reference with the highest sentence F.
   *
   * @param references {@code null} entries are dropped; at least one must remain
   */
  public long[] segmentStats(String hypothesis, List<String> references) {
    List<String> refs = new ArrayList<>(references.size());
    for (String r : references) {
      if (r != null) {
        refs.add(preprocess(r));
      }
    }
    if (refs.isEmpty()) {
      throw new IllegalArgumentException("a segment has no reference");
    }
    String hyp = preprocess(hypothesis);
    int nRefs = refs.size();
    int co = options.charOrder();
    int wo = options.wordOrder();

    int[] hypChars = chars(hyp);
    int[][] refChars = new int[nRefs][];
    for (int r = 0; r < nRefs; r++) {
      refChars[r] = chars(refs.get(r));
    }
    long[][] charMatch = new long[nRefs][co];
    if (co > 0 && (forceStringKeys || !matcher.matchPacked(hypChars, refChars, co, charMatch))) {
      String[][] rt = new String[nRefs][];
      for (int r = 0; r < nRefs; r++) {
        rt[r] = codePointStrings(refChars[r]);
      }
      NgramMatcher.matchStrings(codePointStrings(hypChars), rt, co, "", charMatch);
    }

    int[] hypWords = new int[0];
    int[][] refWords = new int[nRefs][0];
    long[][] wordMatch = new long[nRefs][wo];
    if (wo > 0) {
      List<String> hw = words(hyp);
      List<List<String>> rw = new ArrayList<>();
      for (String r : refs) {
        rw.add(words(r));
      }
      Map<String, Integer> index = new HashMap<>();
      hypWords = indexes(hw, index);
      for (int r = 0; r < nRefs; r++) {
        refWords[r] = indexes(rw.get(r), index);
      }
      if (forceStringKeys || !matcher.matchPacked(hypWords, refWords, wo, wordMatch)) {
        String[][] rt = new String[nRefs][];
        for (int r = 0; r < nRefs; r++) {
          rt[r] = rw.get(r).toArray(new String[0]);
        }
        NgramMatcher.matchStrings(hw.toArray(new String[0]), rt, wo, " ", wordMatch);
      }
    }

    long[] best = null;
    double bestF = -1.0;
    for (int r = 0; r < nRefs; r++) {
      long[] stats = new long[statsSize()];
      for (int n = 1; n <= co; n++) {
        fill(stats, n - 1, hypChars.length, refChars[r].length, n, charMatch[r][n - 1]);
      }
      for (int n = 1; n <= wo; n++) {
        fill(stats, co + n - 1, hypWords.length, refWords[r].length, n, wordMatch[r][n - 1]);
      }
      double f = fScore(stats);
      if (f > bestF) {
        bestF = f;
        best = stats;
      }
    }
    return best;
  }

  private static void fill(long[] stats, int slot, int hypLen, int refLen, int n, long match) {
    long hypCount = Math.max(0, hypLen - n + 1);
    long refCount = Math.max(0, refLen - n + 1);
    stats[3 * slot] = refCount > 0 ? hypCount : 0;
    stats[3 * slot + 1] = refCount;
    stats[3 * slot + 2] = match;
  }

  private int[] chars(String s) {
    return (options.whitespace() ? s : Py.removeSpaces(s)).codePoints().toArray();
  }

  private static String[] codePointStrings(int[] cps) {
    String[] out = new String[cps.length];
    for (int i = 0; i < cps.length; i++) {
      out[i] = Character.toString(cps[i]);
    }
    return out;
  }

  private static int[] indexes(List<String> words, Map<String, Integer> index) {
    int[] out = new int[words.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = index.computeIfAbsent(words.get(i), k -> index.size());
    }
    return out;
  }

  /** Test hook: always take the string-key path. */
  void forceStringKeys(boolean on) {
    this.forceStringKeys = on;
  }

  /** Summed statistics of a corpus ({@code null} reference lines are dropped per segment). */
  public long[] corpusStats(List<String> hypotheses, List<? extends List<String>> references) {
    Bleu.checkStreams(hypotheses, references);
    long[] acc = new long[statsSize()];
    List<String> refs = new ArrayList<>(references.size());
    for (int i = 0; i < hypotheses.size(); i++) {
      Bleu.segmentReferences(references, i, refs);
      long[] s = segmentStats(hypotheses.get(i), refs);
      for (int k = 0; k < acc.length; k++) {
        acc[k] += s[k];
      }
    }
    return acc;
  }

  public ChrfScore corpusScore(List<String> hypotheses, List<? extends List<String>> references) {
    return score(corpusStats(hypotheses, references));
  }

  public ChrfScore sentenceScore(String hypothesis, List<String> references) {
    return score(segmentStats(hypothesis, references));
  }

  public ChrfScore score(long[] stats) {
    if (stats.length != statsSize()) {
      throw new IllegalArgumentException(
          "expected " + statsSize() + " statistics, got " + stats.length);
    }
    return new ChrfScore(
        fScore(stats), options.charOrder(), options.wordOrder(), options.beta());
  }

  /** sacrebleu's {@code CHRF._compute_f_score}, with the same operation order. */
  double fScore(long[] stats) {
    double factor = (double) options.beta() * options.beta();
    double score = 0.0;
    double avgPrec = 0.0;
    double avgRec = 0.0;
    int effectiveOrder = 0;
    for (int i = 0; i < orders; i++) {
      long nHyp = stats[3 * i];
      long nRef = stats[3 * i + 1];
      long nMatch = stats[3 * i + 2];
      double prec = nHyp > 0 ? (double) nMatch / (double) nHyp : EPS;
      double rec = nRef > 0 ? (double) nMatch / (double) nRef : EPS;
      double denom = factor * prec + rec;
      score += denom > 0 ? (1 + factor) * prec * rec / denom : EPS;
      if (nHyp > 0 && nRef > 0) {
        avgPrec += prec;
        avgRec += rec;
        effectiveOrder++;
      }
    }
    if (options.epsSmoothing()) {
      return 100 * score / orders;
    }
    if (effectiveOrder == 0) {
      avgPrec = 0.0;
      avgRec = 0.0;
    } else {
      avgPrec /= effectiveOrder;
      avgRec /= effectiveOrder;
    }
    if (avgPrec + avgRec != 0) {
      double f = (1 + factor) * avgPrec * avgRec;
      f /= (factor * avgPrec) + avgRec;
      return 100 * f;
    }
    return 0.0;
  }

  /**
   * The signature, e.g. {@code nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0}.
   *
   * @param numRefs references per segment, or -1 for {@code var}
   */
  public Signature signature(int numRefs) {
    return Signature.of(
        numRefs,
        List.of(
            "case", options.lowercase() ? "lc" : "mixed",
            "eff", options.epsSmoothing() ? "no" : "yes",
            "nc", Integer.toString(options.charOrder()),
            "nw", Integer.toString(options.wordOrder()),
            "space", options.whitespace() ? "yes" : "no"));
  }
}
