package dev.jnmt.bleu;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * sacrebleu's paired significance tests ({@code significance.PairedTest}) between a baseline and
 * other systems on the same references, with sacrebleu's random numbers, so that p-values, means
 * and intervals are identical to {@code sacrebleu --paired-bs} / {@code --paired-ar}.
 *
 * <ul>
 *   <li>Paired bootstrap ({@link Kind#BOOTSTRAP}, default 1,000 resamples): the same resampled
 *       segment sets are scored for the baseline and the system; the p-value is the share of
 *       resamples whose centred absolute difference exceeds the real absolute difference, with
 *       sacrebleu's {@code (c + 1) / (n + 1)}. The baseline and each system also get a bootstrap
 *       mean and 95% interval.
 *   <li>Approximate randomization ({@link Kind#RANDOMIZATION}, default 10,000 trials): each trial
 *       swaps a random subset of segments between the two systems; the p-value is the share of
 *       trials whose absolute difference exceeds the real one, also {@code (c + 1) / (n + 1)}.
 * </ul>
 *
 * Segment statistics are computed once per system and metric.
 */
public final class PairedTest {

  /** The test. */
  public enum Kind {
    /** Paired bootstrap resampling ({@code bs}). */
    BOOTSTRAP("bs", 1000),
    /** Paired approximate randomization ({@code ar}). */
    RANDOMIZATION("ar", 10000);

    private final String key;
    private final int defaultSamples;

    Kind(String key, int defaultSamples) {
      this.key = key;
      this.defaultSamples = defaultSamples;
    }

    /** {@code bs} or {@code ar}, the signature key. */
    public String key() {
      return key;
    }

    public int defaultSamples() {
      return defaultSamples;
    }
  }

  /**
   * One system's result for one metric (sacrebleu's {@code Result}).
   *
   * @param score the real corpus score
   * @param pValue the p-value against the baseline, null for the baseline itself
   * @param mean the bootstrap mean (paired bootstrap only), else null
   * @param ci half the bootstrap 95% interval (paired bootstrap only), else null
   */
  public record Result(double score, Double pValue, Double mean, Double ci) {}

  private final Kind kind;
  private final int samples;
  private final BigInteger seed;
  private final BigInteger baselineSeed;

  /**
   * @param kind the test
   * @param samples resamples or trials; 0 or less takes sacrebleu's default
   * @param seedValue the {@code $SACREBLEU_SEED} text ({@link Resampling#DEFAULT_SEED} if unset)
   */
  public PairedTest(Kind kind, int samples, String seedValue) {
    this.kind = Objects.requireNonNull(kind);
    this.samples = samples > 0 ? samples : kind.defaultSamples();
    this.baselineSeed = Resampling.parseSeed(seedValue);
    // sacrebleu: `seed = self._seed if self._seed else None`, so 0 means "from the OS" for the
    // systems, while the baseline's interval is still drawn with seed 0
    this.seed = baselineSeed == null || baselineSeed.signum() == 0 ? null : baselineSeed;
  }

  /** The test with sacrebleu's default seed. */
  public PairedTest(Kind kind, int samples) {
    this(kind, samples, Resampling.DEFAULT_SEED);
  }

  public Kind kind() {
    return kind;
  }

  public int samples() {
    return samples;
  }

  /** The signature's {@code seed} field: the seed as an integer, or {@code none}. */
  public String seedField() {
    return baselineSeed == null ? "none" : baselineSeed.toString();
  }

  /** The metric's signature with sacrebleu's {@code bs}/{@code ar} and {@code seed} fields. */
  public Signature signature(StatsMetric metric, int numRefs) {
    Signature s = metric.signature(numRefs);
    return kind == Kind.BOOTSTRAP
        ? s.withResampling(samples, null, seedField())
        : s.withResampling(null, samples, seedField());
  }

  /**
   * Runs the test for one metric.
   *
   * @param systems the baseline first, then the systems to compare with it
   * @param references reference streams, one line per segment each
   * @return one result per system, the baseline's first
   */
  public List<Result> run(
      StatsMetric metric, List<? extends List<String>> systems, List<? extends List<String>> references) {
    if (systems.size() < 2) {
      throw new IllegalArgumentException("a paired test needs a baseline and at least one system");
    }
    List<double[]> stats = new ArrayList<>();
    for (List<String> sys : systems) {
      stats.add(metric.corpusSegmentStats(sys, references));
    }
    return runOnStats(metric, stats);
  }

  /** {@link #run} on precomputed row-major segment statistics (baseline first). */
  public List<Result> runOnStats(StatsMetric metric, List<double[]> stats) {
    int k = metric.statsSize();
    int nSeg = stats.getFirst().length / k;
    for (double[] s : stats) {
      if (s.length != nSeg * k) {
        throw new IllegalArgumentException("systems have different numbers of segments");
      }
    }
    List<Result> out = new ArrayList<>();
    double blScore = metric.score(metric.sum(stats.getFirst())).score();
    return kind == Kind.BOOTSTRAP
        ? bootstrap(metric, stats, nSeg, blScore, out)
        : randomization(metric, stats, nSeg, blScore, out);
  }

  private List<Result> bootstrap(
      StatsMetric metric, List<double[]> stats, int nSeg, double blScore, List<Result> out) {
    float[] bl32 = Resampling.toFloat32(stats.getFirst());
    // the baseline's interval: sacrebleu's _bootstrap_resample seeds from the variable itself
    int[] blIdx = Resampling.generator(baselineSeed).choice(nSeg, samples);
    Resampling.Samples blBoot = Resampling.bootstrap(metric, bl32, blIdx, samples);
    Confidence blCi = Resampling.numpyConfidence(blBoot);
    out.add(new Result(blScore, null, blCi.mean(), blCi.ci()));
    int[] sysIdx = seed != null && seed.equals(baselineSeed) ? blIdx : null;
    for (int s = 1; s < stats.size(); s++) {
      // every system gets a fresh default_rng(seed): the same indices, unless the seed is random
      int[] idx = sysIdx != null ? sysIdx : Resampling.generator(seed).choice(nSeg, samples);
      Resampling.Samples blSamples =
          idx == blIdx ? blBoot : Resampling.bootstrap(metric, bl32, idx, samples);
      double[] sys = stats.get(s);
      double sysScore = metric.score(metric.sum(sys)).score();
      Resampling.Samples sysSamples =
          Resampling.bootstrap(metric, Resampling.toFloat32(sys), idx, samples);
      Confidence ci = Resampling.numpyConfidence(sysSamples);
      double diff = Math.abs(blScore - sysScore);
      boolean f32 = sysSamples.allFloat32() && blSamples.allFloat32();
      int c = 0;
      if (f32) {
        float[] d = new float[samples];
        for (int i = 0; i < samples; i++) {
          d[i] = Math.abs((float) sysSamples.scores()[i] - (float) blSamples.scores()[i]);
        }
        float mean = (float) ((double) Resampling.pairwiseSum(d, 0, samples) / samples);
        float real = (float) diff;
        for (int i = 0; i < samples; i++) {
          if (d[i] - mean > real) {
            c++;
          }
        }
      } else {
        double[] d = new double[samples];
        for (int i = 0; i < samples; i++) {
          d[i] = Math.abs(sysSamples.scores()[i] - blSamples.scores()[i]);
        }
        double mean = Resampling.pairwiseSum(d, 0, samples) / samples;
        for (int i = 0; i < samples; i++) {
          if (d[i] - mean > diff) {
            c++;
          }
        }
      }
      out.add(new Result(sysScore, pValue(c, samples), ci.mean(), ci.ci()));
    }
    return out;
  }

  private List<Result> randomization(
      StatsMetric metric, List<double[]> stats, int nSeg, double blScore, List<Result> out) {
    out.add(new Result(blScore, null, null, null));
    int k = metric.statsSize();
    double[] bl = stats.getFirst();
    boolean[] sel = null;
    for (int s = 1; s < stats.size(); s++) {
      if (sel == null || seed == null) {
        sel = Resampling.generator(seed).booleans(Math.multiplyExact(samples, nSeg));
      }
      double[] sys = stats.get(s);
      double sysScore = metric.score(metric.sum(sys)).score();
      double diff = Math.abs(blScore - sysScore);
      // shuf_a = pos @ baseline + neg @ system, shuf_b = neg @ baseline + pos @ system: each
      // product summed in segment order, then the two added
      double[] a = new double[k];
      double[] b = new double[k];
      double[] posBl = new double[k];
      double[] negSys = new double[k];
      double[] negBl = new double[k];
      double[] posSys = new double[k];
      int c = 0;
      for (int t = 0; t < samples; t++) {
        java.util.Arrays.fill(posBl, 0);
        java.util.Arrays.fill(negSys, 0);
        java.util.Arrays.fill(negBl, 0);
        java.util.Arrays.fill(posSys, 0);
        int base = t * nSeg;
        for (int i = 0; i < nSeg; i++) {
          int off = i * k;
          if (sel[base + i]) {
            for (int j = 0; j < k; j++) {
              posBl[j] += bl[off + j];
              posSys[j] += sys[off + j];
            }
          } else {
            for (int j = 0; j < k; j++) {
              negSys[j] += sys[off + j];
              negBl[j] += bl[off + j];
            }
          }
        }
        for (int j = 0; j < k; j++) {
          a[j] = posBl[j] + negSys[j];
          b[j] = negBl[j] + posSys[j];
        }
        if (Math.abs(metric.scoreRandomized(a) - metric.scoreRandomized(b)) > diff) {
          c++;
        }
      }
      out.add(new Result(sysScore, pValue(c, samples), null, null));
    }
    return out;
  }

  private static double pValue(int c, int n) {
    return (c + 1) / (double) (n + 1);
  }
}
