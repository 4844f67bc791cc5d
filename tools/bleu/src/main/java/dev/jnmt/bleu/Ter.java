// Over 400 lines: sacrebleu's TER is one algorithm (tokenization, tercom's shift search, the beamed edit
// distance); split, its steps would have to share the search state.
package dev.jnmt.bleu;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Translation edit rate exactly as sacrebleu {@value SacreBleu#VERSION} computes it ({@code
 * metrics/ter.py}, {@code metrics/lib_ter.py}): tercom's greedy shift search followed by a
 * Levenshtein distance restricted to a beam around the length-scaled diagonal.
 *
 * <p>Per reference: while the best shift lowers the edit distance, apply it (one edit each). A
 * shift moves a hypothesis phrase of at most 10 words that also occurs in the reference at most 50
 * positions away, over hypothesis and reference positions that are both wrong in the current
 * alignment; candidates are ranked by gain, then length, then earliest start, then earliest
 * target; the search stops for good after 1,000 candidates in total (and the shift found in that
 * round is dropped, as in sacrebleu). The edit distance uses unit costs, a beam of 25 cells around
 * the diagonal (wider for very unequal lengths), and prefers match/substitution, then deletion,
 * then insertion, which fixes the alignment the next shift round uses. A segment's statistics are
 * the fewest edits over its references and their <em>average</em> length; corpus TER is {@code 100
 * * Σ edits / Σ average lengths} (100 when only the references are empty, 0 when both are).
 * References are tokenized twice, as sacrebleu does ({@link #preprocessReference}).
 *
 * <p>Instances are immutable; {@link #segmentStats} allocates its own scratch, so one instance may
 * be shared by threads.
 */
public final class Ter {

  private static final int MAX_SHIFT_SIZE = 10;
  private static final int MAX_SHIFT_DIST = 50;
  private static final int BEAM_WIDTH = 25;
  private static final int MAX_CACHE_SIZE = 10000;
  private static final int MAX_SHIFT_CANDIDATES = 1000;
  private static final int INF = 1 << 29;

  private static final byte OP_NOP = 0;
  private static final byte OP_SUB = 1;
  private static final byte OP_INS = 2;
  private static final byte OP_DEL = 3;
  private static final byte OP_UNDEF = 4;

  /**
   * TER settings (sacrebleu's defaults are all off, which reproduces tercom).
   *
   * @param normalized {@code --ter-normalized}: tokenize punctuation and unescape entities
   * @param noPunct {@code --ter-no-punct}: remove {@code .,?:;!"()}
   * @param asianSupport {@code --ter-asian-support}: split CJK (with normalized) and remove CJK
   *     punctuation (with noPunct)
   * @param caseSensitive {@code --ter-case-sensitive}: do not lowercase
   */
  public record Options(
      boolean normalized, boolean noPunct, boolean asianSupport, boolean caseSensitive) {
    public static final Options DEFAULT = new Options(false, false, false, false);
  }

  private final Options options;
  private final TerTokenizer tokenizer;

  public Ter(Options options) {
    this.options = Objects.requireNonNull(options);
    this.tokenizer =
        new TerTokenizer(
            options.normalized(),
            options.noPunct(),
            options.asianSupport(),
            options.caseSensitive());
  }

  public Options options() {
    return options;
  }

  /** The number of statistics per segment: edits and the average reference length. */
  public int statsSize() {
    return 2;
  }

  /** sacrebleu's {@code _preprocess_segment}: right-strip, then the tercom tokenizer. */
  public String[] preprocess(String sentence) {
    return tokenizer.tokens(Py.rstrip(sentence));
  }

  /**
   * A reference as sacrebleu tokenizes it: twice. Its reference cache preprocesses the lines and
   * then {@code TER._extract_reference_info} preprocesses them again, which matters with {@code
   * normalized} (the rules are not idempotent); hypotheses are tokenized once.
   */
  public String[] preprocessReference(String reference) {
    return preprocess(String.join(" ", preprocess(reference)));
  }

  /**
   * Statistics of one segment: {@code [fewest edits over the references, average reference
   * length]}.
   *
   * @param references {@code null} entries are dropped; at least one must remain
   */
  public double[] segmentStats(String hypothesis, List<String> references) {
    List<String[]> refs = new ArrayList<>(references.size());
    for (String r : references) {
      if (r != null) {
        refs.add(preprocessReference(r));
      }
    }
    if (refs.isEmpty()) {
      throw new IllegalArgumentException("a segment has no reference");
    }
    return segmentStats(preprocess(hypothesis), refs);
  }

  /** Statistics of one already tokenized segment. */
  public static double[] segmentStats(String[] hyp, List<String[]> refs) {
    Map<String, Integer> ids = new HashMap<>();
    int[] h = ids(hyp, ids);
    long refLengths = 0;
    int best = Integer.MAX_VALUE;
    for (String[] ref : refs) {
      int[] r = ids(ref, ids);
      int edits = editsAgainst(h, r);
      refLengths += r.length;
      if (edits < best) {
        best = edits;
      }
    }
    return new double[] {best, (double) refLengths / refs.size()};
  }

  private static int[] ids(String[] words, Map<String, Integer> ids) {
    int[] out = new int[words.length];
    for (int i = 0; i < words.length; i++) {
      out[i] = ids.computeIfAbsent(words[i], k -> ids.size());
    }
    return out;
  }

  /** Summed statistics of a corpus ({@code null} reference lines are dropped per segment). */
  public double[] corpusStats(List<String> hypotheses, List<? extends List<String>> references) {
    Bleu.checkStreams(hypotheses, references);
    double edits = 0;
    double lengths = 0;
    List<String> refs = new ArrayList<>(references.size());
    for (int i = 0; i < hypotheses.size(); i++) {
      Bleu.segmentReferences(references, i, refs);
      double[] s = segmentStats(hypotheses.get(i), refs);
      edits += s[0];
      lengths += s[1];
    }
    return new double[] {edits, lengths};
  }

  public TerScore corpusScore(List<String> hypotheses, List<? extends List<String>> references) {
    return score(corpusStats(hypotheses, references));
  }

  public TerScore sentenceScore(String hypothesis, List<String> references) {
    return score(segmentStats(hypothesis, references));
  }

  /** sacrebleu's {@code _compute_score_from_stats}. */
  public TerScore score(double[] stats) {
    if (stats.length != 2) {
      throw new IllegalArgumentException("expected 2 statistics, got " + stats.length);
    }
    return new TerScore(100 * ratio(stats[0], stats[1]), stats[0], stats[1]);
  }

  static double ratio(double edits, double refLength) {
    if (refLength > 0) {
      return edits / refLength;
    }
    return edits > 0 ? 1.0 : 0.0;
  }

  /** The signature, e.g. {@code nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|...}. */
  public Signature signature(int numRefs) {
    return Signature.of(
            numRefs,
            List.of(
                "case", options.caseSensitive() ? "mixed" : "lc",
                "tok", "tercom",
                "norm", options.normalized() ? "yes" : "no",
                "punct", options.noPunct() ? "no" : "yes",
                "asian", options.asianSupport() ? "yes" : "no"))
        .withAbbreviations(
            Map.of("case", "c", "tok", "t", "norm", "nr", "punct", "pn", "asian", "as"));
  }

  // ---------------------------------------------------------------- lib_ter

  /** sacrebleu's {@code translation_edit_rate}: edits of the hypothesis against one reference. */
  static int editsAgainst(int[] hyp, int[] ref) {
    if (ref.length == 0) {
      return hyp.length;
    }
    BeamEditDistance ed = new BeamEditDistance(ref);
    int shifts = 0;
    int[] input = hyp;
    int[] checked = {0};
    // positions of each word in the reference, ascending: only equal words start a phrase pair
    int maxId = 0;
    for (int w : ref) {
      maxId = Math.max(maxId, w);
    }
    int[] head = new int[maxId + 1];
    Arrays.fill(head, -1);
    int[] nextPos = new int[ref.length];
    for (int j = ref.length - 1; j >= 0; j--) {
      nextPos[j] = head[ref[j]];
      head[ref[j]] = j;
    }
    while (true) {
      ShiftResult s = shift(input, ref, head, nextPos, ed, checked);
      if (checked[0] >= MAX_SHIFT_CANDIDATES) {
        break;
      }
      if (s.delta <= 0) {
        break;
      }
      shifts++;
      input = s.words;
    }
    return shifts + ed.distance(input);
  }

  private record ShiftResult(int delta, int[] words) {}

  private static ShiftResult shift(
      int[] h, int[] r, int[] head, int[] nextPos, BeamEditDistance ed, int[] checked) {
    int preScore = ed.distance(h);
    byte[] trace = ed.trace();
    // the trace rewrites the hypothesis into the reference; flipping insertions and deletions
    // rewrites the reference into the hypothesis, which gives the alignment
    int nh = h.length;
    int nr = r.length;
    int[] align = new int[nr];
    boolean[] refErr = new boolean[nr];
    boolean[] hypErr = new boolean[nh];
    int posHyp = -1;
    int posRef = -1;
    for (byte op : trace) {
      switch (op) {
        case OP_NOP, OP_SUB -> {
          posHyp++;
          posRef++;
          align[posRef] = posHyp;
          hypErr[posHyp] = op == OP_SUB;
          refErr[posRef] = op == OP_SUB;
        }
        case OP_DEL -> { // flipped: an insertion into the hypothesis
          posHyp++;
          hypErr[posHyp] = true;
        }
        case OP_INS -> { // flipped: a deletion
          posRef++;
          align[posRef] = posHyp;
          refErr[posRef] = true;
        }
        default -> throw new IllegalStateException("unknown edit operation " + op);
      }
    }

    boolean found = false;
    int bestScore = 0;
    int bestLen = 0;
    int bestNegStart = 0;
    int bestNegIdx = 0;
    int[] bestWords = null;
    pairs:
    for (int sh = 0; sh < nh; sh++) {
      // sacrebleu walks every sr; those with r[sr] != h[sh] yield nothing
      int first = h[sh] < head.length ? head[h[sh]] : -1;
      for (int sr = first; sr >= 0; sr = nextPos[sr]) {
        if (Math.abs(sr - sh) > MAX_SHIFT_DIST) {
          continue;
        }
        int length = 0;
        while (h[sh + length] == r[sr + length] && length < MAX_SHIFT_SIZE) {
          length++;
          // ---- one (sh, sr, length) candidate phrase
          if (anyTrue(hypErr, sh, sh + length)
              && anyTrue(refErr, sr, sr + length)
              && !(sh <= align[sr] && align[sr] < sh + length)) {
            int prevIdx = -1;
            for (int offset = -1; offset < length; offset++) {
              int idx;
              if (sr + offset == -1) {
                idx = 0;
              } else if (sr + offset < nr) {
                idx = align[sr + offset] + 1;
              } else {
                break;
              }
              if (idx == prevIdx) {
                continue;
              }
              prevIdx = idx;
              int[] shifted = performShift(h, sh, length, idx);
              int score = preScore - ed.distance(shifted);
              checked[0]++;
              if (!found
                  || greater(score, length, -sh, -idx, bestScore, bestLen, bestNegStart, bestNegIdx)) {
                found = true;
                bestScore = score;
                bestLen = length;
                bestNegStart = -sh;
                bestNegIdx = -idx;
                bestWords = shifted;
              }
            }
          }
          if (checked[0] >= MAX_SHIFT_CANDIDATES) {
            break pairs;
          }
          // ----
          if (nh == sh + length || nr == sr + length) {
            break;
          }
        }
      }
    }
    return found ? new ShiftResult(bestScore, bestWords) : new ShiftResult(0, h);
  }

  private static boolean greater(int a0, int a1, int a2, int a3, int b0, int b1, int b2, int b3) {
    if (a0 != b0) {
      return a0 > b0;
    }
    if (a1 != b1) {
      return a1 > b1;
    }
    if (a2 != b2) {
      return a2 > b2;
    }
    // equal keys up to here and equal target mean the same shifted words: not greater
    return a3 > b3;
  }

  private static boolean anyTrue(boolean[] a, int from, int to) {
    for (int i = from; i < to; i++) {
      if (a[i]) {
        return true;
      }
    }
    return false;
  }

  /** sacrebleu's {@code _perform_shift}: move {@code words[start, start+length)} to {@code target}. */
  static int[] performShift(int[] w, int start, int length, int target) {
    int n = w.length;
    int[] out = new int[n];
    int k = 0;
    if (target < start) {
      k = copy(w, 0, target, out, k);
      k = copy(w, start, start + length, out, k);
      k = copy(w, target, start, out, k);
      copy(w, start + length, n, out, k);
    } else if (target > start + length) {
      k = copy(w, 0, start, out, k);
      k = copy(w, start + length, target, out, k);
      k = copy(w, start, start + length, out, k);
      copy(w, target, n, out, k);
    } else {
      k = copy(w, 0, start, out, k);
      k = copy(w, start + length, length + target, out, k);
      k = copy(w, start, start + length, out, k);
      copy(w, length + target, n, out, k);
    }
    return out;
  }

  /** Python slice semantics for {@code w[from:to]} with 0 <= from; to is clamped to the length. */
  private static int copy(int[] w, int from, int to, int[] out, int k) {
    int end = Math.min(to, w.length);
    for (int i = from; i < end; i++) {
      out[k++] = w[i];
    }
    return k;
  }

  /**
   * sacrebleu's {@code BeamEditDistance}: Levenshtein distance of a hypothesis to a fixed
   * reference within a beam, with the rows of already seen hypothesis prefixes cached in a trie
   * (rows only depend on the prefix and the hypothesis length, which shifts keep).
   */
  static final class BeamEditDistance {
    private final int[] ref;
    private final int nRef;
    private final Node root;
    private int cacheSize;
    private byte[] lastTrace;

    /** A cached row; children keyed by the next hypothesis word (a few, so linear arrays). */
    private static final class Node {
      final int[] cost;
      final byte[] op;
      int[] keys;
      Node[] children;
      int count;

      Node(int[] cost, byte[] op) {
        this.cost = cost;
        this.op = op;
      }

      Node child(int word) {
        for (int i = 0; i < count; i++) {
          if (keys[i] == word) {
            return children[i];
          }
        }
        return null;
      }

      void add(int word, Node child) {
        if (keys == null) {
          keys = new int[2];
          children = new Node[2];
        } else if (count == keys.length) {
          keys = Arrays.copyOf(keys, count * 2);
          children = Arrays.copyOf(children, count * 2);
        }
        keys[count] = word;
        children[count++] = child;
      }
    }

    BeamEditDistance(int[] ref) {
      this.ref = ref;
      this.nRef = ref.length;
      int[] cost = new int[nRef + 1];
      byte[] op = new byte[nRef + 1];
      for (int j = 0; j <= nRef; j++) {
        cost[j] = j;
        op[j] = OP_INS;
      }
      root = new Node(cost, op);
    }

    /** The trace of the last {@link #distance} call (hypothesis rewritten into the reference). */
    byte[] trace() {
      return lastTrace;
    }

    int distance(int[] h) {
      int n = h.length;
      Node[] rows = new Node[n + 1];
      rows[0] = root;
      int start = 0;
      Node node = root;
      while (start < n) {
        Node child = node.child(h[start]);
        if (child == null) {
          break;
        }
        node = child;
        rows[++start] = child;
      }
      double lengthRatio = n > 0 ? (double) nRef / n : 1;
      int beam =
          BEAM_WIDTH < lengthRatio / 2
              ? (int) Math.ceil(lengthRatio / 2 + BEAM_WIDTH)
              : BEAM_WIDTH;
      Node prevNode = node;
      for (int i = start + 1; i <= n; i++) {
        int[] prev = rows[i - 1].cost;
        int[] cost = new int[nRef + 1];
        byte[] op = new byte[nRef + 1];
        Arrays.fill(cost, INF);
        Arrays.fill(op, OP_UNDEF);
        long pseudoDiag = (long) Math.floor(i * lengthRatio);
        int minJ = (int) Math.max(0, pseudoDiag - beam);
        int maxJ = (int) Math.min(nRef + 1, pseudoDiag + beam);
        if (i == n) {
          maxJ = nRef + 1;
        }
        int word = h[i - 1];
        for (int j = minJ; j < maxJ; j++) {
          if (j == 0) {
            cost[0] = prev[0] + 1;
            op[0] = OP_DEL;
          } else {
            int c = cost[j];
            byte o = op[j];
            int sub = prev[j - 1] + (word == ref[j - 1] ? 0 : 1);
            if (c > sub) {
              c = sub;
              o = word == ref[j - 1] ? OP_NOP : OP_SUB;
            }
            int del = prev[j] + 1;
            if (c > del) {
              c = del;
              o = OP_DEL;
            }
            int ins = cost[j - 1] + 1;
            if (c > ins) {
              c = ins;
              o = OP_INS;
            }
            cost[j] = c;
            op[j] = o;
          }
        }
        Node row = new Node(cost, op);
        rows[i] = row;
        if (cacheSize < MAX_CACHE_SIZE) {
          prevNode.add(word, row);
          cacheSize++;
          prevNode = row;
        }
      }
      // backtrack
      byte[] trace = new byte[n + nRef];
      int len = 0;
      int i = n;
      int j = nRef;
      while (i > 0 || j > 0) {
        byte o = rows[i].op[j];
        trace[len++] = o;
        switch (o) {
          case OP_SUB, OP_NOP -> {
            i--;
            j--;
          }
          case OP_INS -> j--;
          case OP_DEL -> i--;
          default -> throw new IllegalStateException("unknown edit operation in TER trace");
        }
      }
      byte[] forward = new byte[len];
      for (int k = 0; k < len; k++) {
        forward[k] = trace[len - 1 - k];
      }
      lastTrace = forward;
      return rows[n].cost[nRef];
    }
  }
}
