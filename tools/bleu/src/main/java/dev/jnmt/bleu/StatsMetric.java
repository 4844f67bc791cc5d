// Over 400 lines: one class per sacrebleu resampling contract: the statistics, the three number-type variants
// of the score and the metric adapters belong together.
package dev.jnmt.bleu;

import java.util.ArrayList;
import java.util.List;

/**
 * A metric as sacrebleu's resampling code sees it: per-segment sufficient statistics, computed once,
 * and a score from any sum of them. Sums are scored three ways, because sacrebleu's numbers depend
 * on the number types its code happens to use:
 *
 * <ul>
 *   <li>{@link #score(double[])}: the real corpus score (Python ints and floats, as in {@code
 *       corpus_score});
 *   <li>{@link #scoreFloat32}: a bootstrap resample, whose summed statistics are NumPy {@code
 *       float32} values, so that (under NumPy 2's promotion rules) chrF and TER are computed in
 *       single precision and BLEU's precisions too (its logarithms and the final exponential are
 *       double);
 *   <li>{@link #scoreRandomized}: an approximate-randomization trial, whose sums come from a matrix
 *       product with {@code int64} (BLEU, chrF) or {@code float64} (TER) results: double precision,
 *       but add-k smoothing is truncated back to integers.
 * </ul>
 */
public sealed interface StatsMetric
    permits StatsMetric.OfBleu, StatsMetric.OfChrf, StatsMetric.OfTer {

  static StatsMetric of(Bleu bleu) {
    return new OfBleu(bleu);
  }

  static StatsMetric of(Chrf chrf) {
    return new OfChrf(chrf);
  }

  static StatsMetric of(Ter ter) {
    return new OfTer(ter);
  }

  /** The score's name: {@code BLEU}, {@code chrF2}, {@code TER}, ... */
  String name();

  /** sacrebleu's metric key ({@code BLEU}, {@code CHRF}, {@code TER}), which orders the output. */
  String key();

  int statsSize();

  /** The signature for {@code numRefs} references per segment. */
  Signature signature(int numRefs);

  /** Statistics of one segment, as Python holds them (ints, or TER's average length). */
  double[] segmentStats(String hypothesis, List<String> references);

  /** The score of summed statistics (exact Python arithmetic). */
  Score score(double[] sums);

  /**
   * The score of a bootstrap resample's float32 sums.
   *
   * @param isFloat32 set to whether the result is a NumPy float32 (true for chrF and TER except
   *     in their degenerate branches, which return Python floats)
   */
  double scoreFloat32(float[] sums, boolean[] isFloat32);

  /** The score of an approximate-randomization trial's sums. */
  double scoreRandomized(double[] sums);

  /** Row-major statistics of a corpus: segment i at {@code [i * statsSize(), (i+1) * statsSize())}. */
  default double[] corpusSegmentStats(
      List<String> hypotheses, List<? extends List<String>> references) {
    Bleu.checkStreams(hypotheses, references);
    int k = statsSize();
    double[] out = new double[hypotheses.size() * k];
    List<String> refs = new ArrayList<>(references.size());
    for (int i = 0; i < hypotheses.size(); i++) {
      refs.clear();
      for (List<String> stream : references) {
        refs.add(stream.get(i));
      }
      double[] s = segmentStats(hypotheses.get(i), refs);
      System.arraycopy(s, 0, out, i * k, k);
    }
    return out;
  }

  /** Python's {@code sum_of_lists}: column sums in segment order. */
  default double[] sum(double[] segmentStats) {
    int k = statsSize();
    double[] acc = new double[k];
    for (int i = 0; i < segmentStats.length; i += k) {
      for (int j = 0; j < k; j++) {
        acc[j] += segmentStats[i + j];
      }
    }
    return acc;
  }

  // ------------------------------------------------------------------ BLEU

  record OfBleu(Bleu bleu) implements StatsMetric {
    private static final double LOG_ZERO = -9999999999.0;

    @Override
    public String name() {
      return "BLEU";
    }

    @Override
    public String key() {
      return "BLEU";
    }

    @Override
    public int statsSize() {
      return bleu.statsSize();
    }

    @Override
    public Signature signature(int numRefs) {
      return bleu.signature(numRefs);
    }

    @Override
    public double[] segmentStats(String hypothesis, List<String> references) {
      long[] s = bleu.segmentStats(hypothesis, references);
      double[] d = new double[s.length];
      for (int i = 0; i < s.length; i++) {
        d[i] = s[i];
      }
      return d;
    }

    @Override
    public BleuScore score(double[] sums) {
      long[] l = new long[sums.length];
      for (int i = 0; i < l.length; i++) {
        l[i] = (long) sums[i];
      }
      return bleu.score(l);
    }

    @Override
    public double scoreRandomized(double[] sums) {
      Bleu.Options o = bleu.options();
      if (o.smoothMethod() != SmoothMethod.ADD_K) {
        return score(sums).score();
      }
      // int64 statistics: `correct[n] += k` is truncated back to an integer, so score the sums
      // with k applied here and no smoothing added again
      int order = o.maxNgramOrder();
      double[] s = sums.clone();
      boolean any = false;
      for (int n = 0; n < order; n++) {
        any |= s[2 + n] != 0;
      }
      if (!any) {
        return 0.0;
      }
      double k = o.effectiveSmoothValue();
      for (int n = 1; n < order; n++) {
        s[2 + n] = (long) (s[2 + n] + k);
        s[2 + order + n] = (long) (s[2 + order + n] + k);
      }
      long[] l = new long[s.length];
      for (int i = 0; i < l.length; i++) {
        l[i] = (long) s[i];
      }
      return new Bleu(o.withSmoothing(SmoothMethod.NONE, null)).score(l).score();
    }

    @Override
    public double scoreFloat32(float[] sums, boolean[] isFloat32) {
      isFloat32[0] = false;
      Bleu.Options o = bleu.options();
      int order = o.maxNgramOrder();
      long sysLen = (long) sums[0];
      long refLen = (long) sums[1];
      double bp = 1.0;
      if (sysLen < refLen) {
        bp = sysLen > 0 ? CrMath.exp(1 - (double) refLen / (double) sysLen) : 0.0;
      }
      float[] correct = new float[order];
      float[] total = new float[order];
      boolean any = false;
      for (int n = 0; n < order; n++) {
        correct[n] = sums[2 + n];
        total[n] = sums[2 + order + n];
        any |= correct[n] != 0;
      }
      if (!any) {
        return 0.0;
      }
      SmoothMethod method = o.smoothMethod();
      double value = o.effectiveSmoothValue();
      double[] precisions = new double[order];
      double smooth = 1.0;
      int effOrder = order;
      for (int n = 1; n <= order; n++) {
        if (method == SmoothMethod.ADD_K && n > 1) {
          correct[n - 1] += (float) value;
          total[n - 1] += (float) value;
        }
        if (total[n - 1] == 0) {
          break;
        }
        if (o.effectiveOrder()) {
          effOrder = n;
        }
        if (correct[n - 1] == 0) {
          if (method == SmoothMethod.EXP) {
            smooth *= 2;
            precisions[n - 1] = 100.0f / ((float) smooth * total[n - 1]);
          } else if (method == SmoothMethod.FLOOR) {
            precisions[n - 1] = (float) (100.0 * value) / total[n - 1];
          }
        } else {
          precisions[n - 1] = 100.0f * correct[n - 1] / total[n - 1];
        }
      }
      double sum = 0.0;
      for (int n = 0; n < effOrder; n++) {
        sum += precisions[n] == 0.0 ? LOG_ZERO : CrMath.log(precisions[n]);
      }
      return bp * CrMath.exp(sum / effOrder);
    }
  }

  // ------------------------------------------------------------------ chrF

  record OfChrf(Chrf chrf) implements StatsMetric {
    @Override
    public String name() {
      Chrf.Options o = chrf.options();
      return "chrF" + o.beta() + "+".repeat(Math.max(0, o.wordOrder()));
    }

    @Override
    public String key() {
      return "CHRF";
    }

    @Override
    public int statsSize() {
      return chrf.statsSize();
    }

    @Override
    public Signature signature(int numRefs) {
      return chrf.signature(numRefs);
    }

    @Override
    public double[] segmentStats(String hypothesis, List<String> references) {
      long[] s = chrf.segmentStats(hypothesis, references);
      double[] d = new double[s.length];
      for (int i = 0; i < s.length; i++) {
        d[i] = s[i];
      }
      return d;
    }

    @Override
    public ChrfScore score(double[] sums) {
      long[] l = new long[sums.length];
      for (int i = 0; i < l.length; i++) {
        l[i] = (long) sums[i];
      }
      return chrf.score(l);
    }

    @Override
    public double scoreRandomized(double[] sums) {
      return score(sums).score();
    }

    /**
     * {@code _compute_f_score} on float32 statistics. Each variable is a Python float until a
     * float32 touches it; from then on every operation rounds to float32 (a Python float operand
     * is first rounded to float32), which {@link F} tracks.
     */
    @Override
    public double scoreFloat32(float[] sums, boolean[] isFloat32) {
      Chrf.Options o = chrf.options();
      int orders = o.charOrder() + o.wordOrder();
      F eps = F.py(1e-16);
      F score = F.py(0.0);
      int effectiveOrder = 0;
      F factor = F.py((double) o.beta() * o.beta());
      F onePlusFactor = F.py(1 + (double) o.beta() * o.beta());
      F avgPrec = F.py(0.0);
      F avgRec = F.py(0.0);
      for (int i = 0; i < orders; i++) {
        F nHyp = F.f32(sums[3 * i]);
        F nRef = F.f32(sums[3 * i + 1]);
        F nMatch = F.f32(sums[3 * i + 2]);
        F prec = nHyp.v > 0 ? nMatch.div(nHyp) : eps;
        F rec = nRef.v > 0 ? nMatch.div(nRef) : eps;
        F denom = factor.mul(prec).add(rec);
        score = score.add(denom.v > 0 ? onePlusFactor.mul(prec).mul(rec).div(denom) : eps);
        if (nHyp.v > 0 && nRef.v > 0) {
          avgPrec = avgPrec.add(prec);
          avgRec = avgRec.add(rec);
          effectiveOrder++;
        }
      }
      F result;
      if (o.epsSmoothing()) {
        result = F.py(100).mul(score).div(F.py(orders));
      } else {
        if (effectiveOrder == 0) {
          avgPrec = F.py(0.0);
          avgRec = F.py(0.0);
        } else {
          avgPrec = avgPrec.div(F.py(effectiveOrder));
          avgRec = avgRec.div(F.py(effectiveOrder));
        }
        if (avgPrec.add(avgRec).v != 0) {
          F s = onePlusFactor.mul(avgPrec).mul(avgRec);
          s = s.div(factor.mul(avgPrec).add(avgRec));
          result = F.py(100).mul(s);
        } else {
          result = F.py(0.0);
        }
      }
      isFloat32[0] = result.f32;
      return result.v;
    }
  }

  /** A Python float or a NumPy float32, with NumPy 2's promotion (float32 wins, rounding first). */
  record F(double v, boolean f32) {
    static F py(double v) {
      return new F(v, false);
    }

    static F f32(float v) {
      return new F(v, true);
    }

    F add(F o) {
      return f32 || o.f32 ? f32((float) v + (float) o.v) : py(v + o.v);
    }

    F mul(F o) {
      return f32 || o.f32 ? f32((float) v * (float) o.v) : py(v * o.v);
    }

    F div(F o) {
      return f32 || o.f32 ? f32((float) v / (float) o.v) : py(v / o.v);
    }
  }

  // ------------------------------------------------------------------ TER

  record OfTer(Ter ter) implements StatsMetric {
    @Override
    public String name() {
      return "TER";
    }

    @Override
    public String key() {
      return "TER";
    }

    @Override
    public int statsSize() {
      return 2;
    }

    @Override
    public Signature signature(int numRefs) {
      return ter.signature(numRefs);
    }

    @Override
    public double[] segmentStats(String hypothesis, List<String> references) {
      return ter.segmentStats(hypothesis, references);
    }

    @Override
    public TerScore score(double[] sums) {
      return ter.score(sums);
    }

    @Override
    public double scoreRandomized(double[] sums) {
      return ter.score(sums).score();
    }

    @Override
    public double scoreFloat32(float[] sums, boolean[] isFloat32) {
      float edits = sums[0];
      float length = sums[1];
      if (length > 0) {
        isFloat32[0] = true;
        return 100f * (edits / length);
      }
      isFloat32[0] = false;
      return edits > 0 ? 100.0 : 0.0;
    }
  }
}
