// Over 400 lines: sacrebleu's BLEU in one place: statistics, smoothing methods, corpus and sentence scores,
// signature.
package dev.jnmt.bleu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Corpus and sentence BLEU exactly as sacrebleu {@value SacreBleu#VERSION} computes it.
 *
 * <p>Per segment: optional Python lowercasing, right-strip, tokenization, then every n-gram of
 * orders 1..{@code maxNgramOrder} of the hypothesis is clipped by the <em>maximum</em> count of that
 * n-gram in any single reference. The reference length is the length of the reference closest to
 * the hypothesis length (the shorter one on a tie). The statistics {@code [hypLen, refLen,
 * correct_1..N, total_1..N]} are summed over the corpus and turned into a score by {@link
 * #score(long[])} (sacrebleu's {@code compute_bleu}, including its smoothing and effective-order
 * rules, and the same floating-point operation order).
 *
 * <p>Instances keep scratch buffers and are not thread-safe: use one per thread.
 */
public final class Bleu {

  /** sacrebleu's default maximum n-gram order. */
  public static final int MAX_NGRAM_ORDER = 4;

  /** {@code my_log(0)} in sacrebleu: the log of a zero precision. */
  private static final double LOG_ZERO = -9999999999.0;

  /**
   * BLEU settings, with sacrebleu's defaults in {@link #DEFAULT}.
   *
   * @param tokenizer the tokenizer ({@code -tok}); sacrebleu's default is {@code 13a}
   * @param lowercase lowercase hypotheses and references before tokenizing ({@code -lc})
   * @param smoothMethod the smoothing method ({@code -s}), default {@code exp}
   * @param smoothValue the smoothing value ({@code -sv}), or {@code null} for the method's default
   *     (floor 0.1, add-k 1); ignored by {@code exp} and {@code none}
   * @param maxNgramOrder the highest n-gram order, default 4
   * @param effectiveOrder average only over the orders that have n-grams in the hypotheses; off for
   *     corpus BLEU, on for sentence BLEU (sacrebleu's CLI turns it on with {@code -sl})
   */
  public record Options(
      BleuTokenizer tokenizer,
      boolean lowercase,
      SmoothMethod smoothMethod,
      Double smoothValue,
      int maxNgramOrder,
      boolean effectiveOrder) {

    /** sacrebleu's {@code BLEU()}: 13a, mixed case, exp smoothing, order 4, no effective order. */
    public static final Options DEFAULT =
        new Options(BleuTokenizer.T13A, false, SmoothMethod.EXP, null, MAX_NGRAM_ORDER, false);

    public Options {
      Objects.requireNonNull(tokenizer, "tokenizer");
      Objects.requireNonNull(smoothMethod, "smoothMethod");
      if (maxNgramOrder < 1) {
        throw new IllegalArgumentException("maxNgramOrder must be >= 1, got " + maxNgramOrder);
      }
    }

    public Options withTokenizer(BleuTokenizer t) {
      return new Options(t, lowercase, smoothMethod, smoothValue, maxNgramOrder, effectiveOrder);
    }

    public Options withLowercase(boolean lc) {
      return new Options(tokenizer, lc, smoothMethod, smoothValue, maxNgramOrder, effectiveOrder);
    }

    public Options withSmoothing(SmoothMethod m, Double value) {
      return new Options(tokenizer, lowercase, m, value, maxNgramOrder, effectiveOrder);
    }

    public Options withMaxNgramOrder(int n) {
      return new Options(tokenizer, lowercase, smoothMethod, smoothValue, n, effectiveOrder);
    }

    public Options withEffectiveOrder(boolean eff) {
      return new Options(tokenizer, lowercase, smoothMethod, smoothValue, maxNgramOrder, eff);
    }

    /** The smoothing value actually used. */
    public double effectiveSmoothValue() {
      return smoothValue != null ? smoothValue : smoothMethod.defaultValue();
    }
  }

  private final Options options;
  private final int order;

  // scratch for the packed-key path
  private final BleuTokenizer.Scratch scratch = new BleuTokenizer.Scratch();
  private final TokenIds vocab = new TokenIds(256);
  private final Tokens hypTok = new Tokens();
  private Tokens[] refTok = {new Tokens()};
  private int[] shared = new int[64];
  private final LongIntMap refMax = new LongIntMap(256);
  private final LongIntMap refTmp = new LongIntMap(256);
  private boolean forceStringKeys;

  public Bleu(Options options) {
    this.options = Objects.requireNonNull(options);
    this.order = options.maxNgramOrder();
  }

  public Options options() {
    return options;
  }

  /** The number of statistics per segment: {@code 2 + 2 * maxNgramOrder}. */
  public int statsSize() {
    return 2 + 2 * order;
  }

  /** Lowercasing (if on), right-strip and tokenization: sacrebleu's {@code _preprocess_segment}. */
  public String[] preprocess(String sentence) {
    String s = options.lowercase() ? Py.lower(sentence) : sentence;
    return options.tokenizer().tokens(Py.rstrip(s), scratch);
  }

  private void preprocessInto(String sentence, Tokens out) {
    String s = options.lowercase() ? Py.lower(sentence) : sentence;
    options.tokenizer().tokensInto(Py.rstrip(s), scratch, out);
  }

  private Tokens refTokens(int r) {
    if (r >= refTok.length) {
      refTok = java.util.Arrays.copyOf(refTok, r + 1);
    }
    if (refTok[r] == null) {
      refTok[r] = new Tokens();
    }
    return refTok[r];
  }

  /**
   * Statistics of one segment from raw text.
   *
   * @param hypothesis the hypothesis line
   * @param references its references; {@code null} entries are dropped (sacrebleu's way of giving
   *     segments different numbers of references), {@code ""} is an empty reference
   * @return {@code [hypLen, refLen, correct_1..N, total_1..N]}
   */
  public long[] segmentStats(String hypothesis, List<String> references) {
    long[] stats = new long[statsSize()];
    if (!addSegment(hypothesis, references, stats)) {
      throw new IllegalArgumentException("a segment has no reference");
    }
    return stats;
  }

  /** Preprocesses one segment and adds its statistics; false if it has no (non-null) reference. */
  private boolean addSegment(String hypothesis, List<String> references, long[] acc) {
    int nRefs = 0;
    for (String r : references) {
      if (r != null) {
        preprocessInto(r, refTokens(nRefs++));
      }
    }
    if (nRefs == 0) {
      return false;
    }
    preprocessInto(hypothesis, hypTok);
    addStats(nRefs, acc);
    return true;
  }

  /** Statistics of one segment from tokens (already preprocessed). */
  public long[] segmentStats(String[] hyp, String[][] refs) {
    long[] stats = new long[statsSize()];
    addSegmentStats(hyp, refs, stats);
    return stats;
  }

  /** Adds the statistics of one already tokenized segment to {@code acc}. */
  public void addSegmentStats(String[] hyp, String[][] refs, long[] acc) {
    if (refs.length == 0) {
      throw new IllegalArgumentException("a segment has no reference");
    }
    hypTok.clear();
    for (String t : hyp) {
      hypTok.add(t);
    }
    for (int r = 0; r < refs.length; r++) {
      Tokens rt = refTokens(r);
      rt.clear();
      for (String t : refs[r]) {
        rt.add(t);
      }
    }
    addStats(refs.length, acc);
  }

  /** Adds the statistics of {@code hypTok} against {@code refTok[0, nRefs)}. */
  private void addStats(int nRefs, long[] acc) {
    int hypLen = hypTok.count;
    int closestDiff = -1;
    int closestLen = -1;
    for (int r = 0; r < nRefs; r++) {
      int refLen = refTok[r].count;
      int diff = Math.abs(hypLen - refLen);
      if (closestDiff == -1 || diff < closestDiff) {
        closestDiff = diff;
        closestLen = refLen;
      } else if (diff == closestDiff && refLen < closestLen) {
        closestLen = refLen;
      }
    }
    acc[0] += hypLen;
    acc[1] += closestLen;
    for (int n = 1; n <= order; n++) {
      acc[2 + order + n - 1] += Math.max(0, hypLen - n + 1);
    }
    if (forceStringKeys || !addCorrectPacked(nRefs, acc)) {
      String[][] refs = new String[nRefs][];
      for (int r = 0; r < nRefs; r++) {
        refs[r] = refTok[r].toStrings();
      }
      addCorrectStrings(hypTok.toStrings(), refs, acc, order);
    }
  }

  /**
   * Clipped matches with n-grams packed into longs. Only tokens that occur in the hypothesis and in
   * some reference get an id; every other token breaks n-grams, since no n-gram containing it can
   * match. Each hypothesis n-gram occurrence then takes one unit of the reference's (maximum)
   * count, which sums to {@code min(hyp count, ref count)} per n-gram. Returns false when the ids
   * do not fit ({@code bits * order > 63}).
   */
  private boolean addCorrectPacked(int nRefs, long[] acc) {
    vocab.clear();
    Tokens h = hypTok;
    int[] hid = new int[h.count];
    for (int i = 0; i < h.count; i++) {
      hid[i] = vocab.idOf(h, i);
    }
    int hypVocab = vocab.size();
    int[][] rid = new int[nRefs][];
    for (int r = 0; r < nRefs; r++) {
      Tokens rt = refTok[r];
      int[] ids = new int[rt.count];
      for (int i = 0; i < rt.count; i++) {
        ids[i] = vocab.idOf(rt, i);
      }
      rid[r] = ids;
    }
    // local ids 1..hypVocab are the hypothesis tokens; keep those some reference has
    if (shared.length <= hypVocab) {
      shared = new int[Math.max(2 * hypVocab, 64)];
    }
    java.util.Arrays.fill(shared, 0, hypVocab + 1, 0);
    int next = 0;
    for (int[] ids : rid) {
      for (int i = 0; i < ids.length; i++) {
        int id = ids[i];
        if (id <= hypVocab) {
          if (shared[id] == 0) {
            shared[id] = ++next;
          }
          ids[i] = shared[id];
        } else {
          ids[i] = 0;
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
    for (int i = 0; i < hid.length; i++) {
      hid[i] = shared[hid[i]];
    }
    refMax.clear();
    for (int[] ids : rid) {
      if (rid.length == 1) {
        count(ids, bits, refMax);
      } else {
        refTmp.clear();
        count(ids, bits, refTmp);
        for (int i = 0; i < refTmp.size(); i++) {
          refMax.max(refTmp.keyAt(i), refTmp.valueAt(i));
        }
      }
    }
    for (int i = 0; i < hid.length; i++) {
      long key = 0;
      for (int n = 0; n < order && i + n < hid.length; n++) {
        int id = hid[i + n];
        if (id == 0) {
          break;
        }
        key = key << bits | id;
        int t = refMax.take(key);
        if (t < 0) {
          // no reference has this n-gram, so none has a longer one starting with it
          break;
        }
        acc[2 + n] += t;
      }
    }
    return true;
  }

  private void count(int[] seq, int bits, LongIntMap into) {
    for (int i = 0; i < seq.length; i++) {
      long key = 0;
      for (int n = 0; n < order && i + n < seq.length; n++) {
        int id = seq[i + n];
        if (id == 0) {
          break;
        }
        key = key << bits | id;
        into.add(key, 1);
      }
    }
  }

  /**
   * The plain way, close to sacrebleu's code: n-grams as strings (tokens never contain whitespace,
   * so joining them with a space is unambiguous). Used when ids do not fit in a long, and by the
   * tests as the twin of the packed path.
   */
  static void addCorrectStrings(String[] hyp, String[][] refs, long[] acc, int order) {
    Map<String, Integer> maxRef = new HashMap<>();
    for (String[] ref : refs) {
      for (Map.Entry<String, Integer> e : ngramCounts(ref, order).entrySet()) {
        maxRef.merge(e.getKey(), e.getValue(), Math::max);
      }
    }
    for (Map.Entry<String, Integer> e : ngramCounts(hyp, order).entrySet()) {
      Integer r = maxRef.get(e.getKey());
      if (r != null) {
        int n = (int) e.getKey().chars().filter(c -> c == ' ').count() + 1;
        acc[2 + n - 1] += Math.min(e.getValue(), r);
      }
    }
  }

  private static Map<String, Integer> ngramCounts(String[] tokens, int order) {
    Map<String, Integer> m = new HashMap<>();
    for (int n = 1; n <= order; n++) {
      for (int i = 0; i + n <= tokens.length; i++) {
        m.merge(String.join(" ", List.of(tokens).subList(i, i + n)), 1, Integer::sum);
      }
    }
    return m;
  }

  /** Test hook: always take the string-key path. */
  void forceStringKeys(boolean on) {
    this.forceStringKeys = on;
  }

  /**
   * Summed statistics of a corpus.
   *
   * @param hypotheses one line per segment
   * @param references reference streams, each with one line per segment ({@code null} lines are
   *     dropped for that segment)
   */
  public long[] corpusStats(List<String> hypotheses, List<? extends List<String>> references) {
    checkStreams(hypotheses, references);
    long[] acc = new long[statsSize()];
    List<String> refs = new ArrayList<>(references.size());
    for (int i = 0; i < hypotheses.size(); i++) {
      refs.clear();
      for (List<String> stream : references) {
        refs.add(stream.get(i));
      }
      if (!addSegment(hypotheses.get(i), refs, acc)) {
        throw new IllegalArgumentException("segment " + (i + 1) + " has no reference");
      }
    }
    return acc;
  }

  /** Corpus BLEU. */
  public BleuScore corpusScore(List<String> hypotheses, List<? extends List<String>> references) {
    return score(corpusStats(hypotheses, references));
  }

  /** Sentence BLEU of one segment with these options (sacrebleu's CLI enables effective order). */
  public BleuScore sentenceScore(String hypothesis, List<String> references) {
    return score(segmentStats(hypothesis, references));
  }

  /**
   * sacrebleu's {@code compute_bleu}: smoothing, brevity penalty and the geometric mean, with the
   * same operation order so that doubles agree bit for bit with CPython's.
   *
   * @param stats {@code [hypLen, refLen, correct_1..N, total_1..N]}
   */
  public BleuScore score(long[] stats) {
    if (stats.length != statsSize()) {
      throw new IllegalArgumentException(
          "expected " + statsSize() + " statistics, got " + stats.length);
    }
    long sysLen = stats[0];
    long refLen = stats[1];
    double[] correct = new double[order];
    double[] total = new double[order];
    boolean anyCorrect = false;
    for (int n = 0; n < order; n++) {
      correct[n] = stats[2 + n];
      total[n] = stats[2 + order + n];
      anyCorrect |= stats[2 + n] != 0;
    }
    double bp;
    if (sysLen < refLen) {
      bp = sysLen > 0 ? CrMath.exp(1 - (double) refLen / (double) sysLen) : 0.0;
    } else {
      bp = 1.0;
    }
    double[] precisions = new double[order];
    if (!anyCorrect) {
      return new BleuScore(0.0, correct, total, precisions, bp, sysLen, refLen);
    }
    SmoothMethod method = options.smoothMethod();
    double value = options.effectiveSmoothValue();
    double smoothMteval = 1.0;
    int effOrder = order;
    for (int n = 1; n <= order; n++) {
      if (method == SmoothMethod.ADD_K && n > 1) {
        correct[n - 1] += value;
        total[n - 1] += value;
      }
      if (total[n - 1] == 0) {
        break;
      }
      if (options.effectiveOrder()) {
        effOrder = n;
      }
      if (correct[n - 1] == 0) {
        if (method == SmoothMethod.EXP) {
          smoothMteval *= 2;
          precisions[n - 1] = 100.0 / (smoothMteval * total[n - 1]);
        } else if (method == SmoothMethod.FLOOR) {
          precisions[n - 1] = 100.0 * value / total[n - 1];
        }
      } else {
        precisions[n - 1] = 100.0 * correct[n - 1] / total[n - 1];
      }
    }
    // a plain left-to-right sum, as CPython <= 3.11's sum(); 3.12+ compensates, which can move
    // the last bit of the score but not a printed digit in practice
    double sum = 0.0;
    for (int n = 0; n < effOrder; n++) {
      sum += precisions[n] == 0.0 ? LOG_ZERO : CrMath.log(precisions[n]);
    }
    double score = bp * CrMath.exp(sum / effOrder);
    return new BleuScore(score, correct, total, precisions, bp, sysLen, refLen);
  }

  /**
   * The signature sacrebleu prints for these options, e.g. {@code
   * nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0}.
   *
   * @param numRefs references per segment, or -1 for a variable number ({@code nrefs:var})
   */
  public Signature signature(int numRefs) {
    String smooth = options.smoothMethod().sacrebleuName();
    if (options.smoothMethod().takesValue()) {
      smooth += "[" + Py.fixed(options.effectiveSmoothValue(), 2) + "]";
    }
    return Signature.of(
        numRefs,
        List.of(
            "case", options.lowercase() ? "lc" : "mixed",
            "eff", options.effectiveOrder() ? "yes" : "no",
            "tok", options.tokenizer().signature(),
            "smooth", smooth));
  }

  /**
   * The {@code nrefs} value for these streams: the number of non-null references per segment if
   * it is the same for every segment, else -1.
   */
  public static int numRefs(List<? extends List<String>> references) {
    Set<Integer> counts = new HashSet<>();
    int segments = references.isEmpty() ? 0 : references.getFirst().size();
    for (int i = 0; i < segments; i++) {
      int c = 0;
      for (List<String> stream : references) {
        if (stream.get(i) != null) {
          c++;
        }
      }
      counts.add(c);
    }
    return counts.size() == 1 ? counts.iterator().next() : (counts.isEmpty() ? references.size() : -1);
  }

  /**
   * Fills {@code into} with segment {@code i}'s line of every reference stream; fails when all of them
   * are {@code null} (the segment has no reference).
   */
  static List<String> segmentReferences(List<? extends List<String>> references, int i, List<String> into) {
    into.clear();
    for (List<String> stream : references) {
      into.add(stream.get(i));
    }
    if (into.stream().allMatch(Objects::isNull)) {
      throw new IllegalArgumentException("segment " + (i + 1) + " has no reference");
    }
    return into;
  }

  static void checkStreams(List<String> hypotheses, List<? extends List<String>> references) {
    if (references.isEmpty()) {
      throw new IllegalArgumentException("no reference stream given");
    }
    for (int r = 0; r < references.size(); r++) {
      if (references.get(r).size() != hypotheses.size()) {
        throw new IllegalArgumentException(
            "hypotheses have "
                + hypotheses.size()
                + " lines but reference stream "
                + (r + 1)
                + " has "
                + references.get(r).size());
      }
    }
  }
}
