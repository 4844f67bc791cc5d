package dev.jnmt.bleu;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;

/**
 * sacrebleu's bootstrap resampling ({@code significance.py}) on precomputed segment statistics,
 * with NumPy's random numbers ({@link Pcg64}) and number types, so that means, intervals and
 * p-values come out identical to sacrebleu's.
 *
 * <p>The seed comes from {@code $SACREBLEU_SEED} (default {@code 12345}; {@code none} draws one
 * from the OS, as NumPy does without a seed).
 */
public final class Resampling {
  private Resampling() {}

  /** sacrebleu's default seed. */
  public static final String DEFAULT_SEED = "12345";

  /**
   * The seed as sacrebleu reads {@code $SACREBLEU_SEED}: {@code null} for {@code none} (any case),
   * else Python's {@code int(value)}.
   *
   * @throws IllegalArgumentException for anything else, or a negative value (NumPy rejects it)
   */
  public static BigInteger parseSeed(String value) {
    if (value.toLowerCase(Locale.ROOT).equals("none")) {
      return null;
    }
    String s = Py.strip(value);
    String digits = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
    if (!digits.matches("[0-9]+(_[0-9]+)*")) {
      throw new IllegalArgumentException(
          "SACREBLEU_SEED must be an integer or 'none', got '" + value + "'");
    }
    BigInteger seed = new BigInteger(s.replace("_", ""));
    if (seed.signum() < 0) {
      throw new IllegalArgumentException(
          "SACREBLEU_SEED must not be negative (NumPy's SeedSequence rejects it), got " + value);
    }
    return seed;
  }

  /** A generator for {@code default_rng(seed)}; a null seed takes 128 bits from the OS. */
  public static Pcg64 generator(BigInteger seed) {
    if (seed == null) {
      byte[] b = new byte[16];
      new SecureRandom().nextBytes(b);
      return new Pcg64(new BigInteger(1, b));
    }
    return new Pcg64(seed);
  }

  /** Per-segment statistics rounded to float32, as {@code np.array(stats, dtype='float32')}. */
  public static float[] toFloat32(double[] stats) {
    float[] f = new float[stats.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) stats[i];
    }
    return f;
  }

  /** Scores of resamples; {@code float32[i]} says whether score i is a NumPy float32. */
  public record Samples(double[] scores, boolean[] float32) {
    /** Whether NumPy would make an all-float32 array of these scores. */
    boolean allFloat32() {
      for (boolean b : float32) {
        if (!b) {
          return false;
        }
      }
      return scores.length > 0;
    }
  }

  /**
   * The score of every bootstrap resample: row s of {@code idx} picks the segments, whose float32
   * statistics are summed in float32 in row order (NumPy's axis-0 sum) and scored by {@link
   * StatsMetric#scoreFloat32}.
   *
   * @param segF32 row-major float32 statistics ({@link #toFloat32})
   * @param idx {@code samples * segments} indices, as {@link Pcg64#choice}
   */
  public static Samples bootstrap(StatsMetric m, float[] segF32, int[] idx, int samples) {
    int k = m.statsSize();
    int nSeg = segF32.length / k;
    double[] scores = new double[samples];
    boolean[] f32 = new boolean[samples];
    float[] acc = new float[k];
    boolean[] type = new boolean[1];
    for (int s = 0; s < samples; s++) {
      Arrays.fill(acc, 0f);
      int base = s * nSeg;
      for (int i = 0; i < nSeg; i++) {
        int off = idx[base + i] * k;
        for (int j = 0; j < k; j++) {
          acc[j] += segF32[off + j];
        }
      }
      scores[s] = m.scoreFloat32(acc, type);
      f32[s] = type[0];
    }
    return new Samples(scores, f32);
  }

  /**
   * {@code Score.estimate_ci} (used by {@code --confidence}): the mean is {@code statistics.mean}
   * (the exact mean, rounded to a double, then to float32 if the scores are float32) and the
   * interval half-width is {@code 0.5 * (upper - lower)} in the scores' type.
   */
  public static Confidence scoreConfidence(Samples s) {
    double[] sorted = s.scores().clone();
    Arrays.sort(sorted);
    boolean f32 = s.allFloat32();
    BigDecimal total = BigDecimal.ZERO;
    for (double v : sorted) {
      total = total.add(new BigDecimal(v));
    }
    double mean =
        total.divide(BigDecimal.valueOf(sorted.length), new MathContext(80)).doubleValue();
    return new Confidence(f32 ? (float) mean : mean, halfWidth(sorted, f32));
  }

  /**
   * {@code significance.estimate_ci} (used by the paired tests): {@code np.sort(scores).mean()}
   * with NumPy's pairwise summation in the array's type, and the same half-width.
   */
  public static Confidence numpyConfidence(Samples s) {
    double[] sorted = s.scores().clone();
    Arrays.sort(sorted);
    boolean f32 = s.allFloat32();
    double mean;
    if (f32) {
      float[] f = new float[sorted.length];
      for (int i = 0; i < f.length; i++) {
        f[i] = (float) sorted[i];
      }
      mean = (float) ((double) pairwiseSum(f, 0, f.length) / f.length);
    } else {
      mean = pairwiseSum(sorted, 0, sorted.length) / sorted.length;
    }
    return new Confidence(mean, halfWidth(sorted, f32));
  }

  private static double halfWidth(double[] sorted, boolean f32) {
    int n = sorted.length;
    int lowerIdx = n / 40;
    int upperIdx = n - lowerIdx - 1;
    if (f32) {
      return 0.5f * ((float) sorted[upperIdx] - (float) sorted[lowerIdx]);
    }
    return 0.5 * (sorted[upperIdx] - sorted[lowerIdx]);
  }

  /** NumPy's {@code pairwise_sum} for float64 (blocks of 8 lanes up to 128, halves above). */
  static double pairwiseSum(double[] a, int from, int n) {
    if (n < 8) {
      double res = 0.0;
      for (int i = 0; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    if (n <= 128) {
      double[] r = new double[8];
      for (int j = 0; j < 8; j++) {
        r[j] = a[from + j];
      }
      int i;
      for (i = 8; i < n - (n % 8); i += 8) {
        for (int j = 0; j < 8; j++) {
          r[j] += a[from + i + j];
        }
      }
      double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    int n2 = n / 2;
    n2 -= n2 % 8;
    return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
  }

  /** {@link #pairwiseSum(double[], int, int)} in float32. */
  static float pairwiseSum(float[] a, int from, int n) {
    if (n < 8) {
      float res = 0f;
      for (int i = 0; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    if (n <= 128) {
      float[] r = new float[8];
      for (int j = 0; j < 8; j++) {
        r[j] = a[from + j];
      }
      int i;
      for (i = 8; i < n - (n % 8); i += 8) {
        for (int j = 0; j < 8; j++) {
          r[j] += a[from + i + j];
        }
      }
      float res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
      for (; i < n; i++) {
        res += a[from + i];
      }
      return res;
    }
    int n2 = n / 2;
    n2 -= n2 % 8;
    return pairwiseSum(a, from, n2) + pairwiseSum(a, from + n2, n - n2);
  }
}
