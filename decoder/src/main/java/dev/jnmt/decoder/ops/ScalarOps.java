package dev.jnmt.decoder.ops;

/**
 * Scalar reference implementations of the float32 operations of the transformer forward pass. Each
 * method has a vectorised twin in {@link VectorOps} with the same contract; tests compare the two. All
 * arrays are row-major {@code float[]} addressed by an offset and a length.
 *
 * <p>The formulas follow PyTorch's CPU kernels (what Hugging Face runs), so that the results differ from
 * the reference by float rounding only: softmax multiplies by the reciprocal of the sum, log-softmax is
 * {@code (x - max) - log(sum)}, and LayerNorm is {@code (x·rstd - rstd·mean)·γ + β} with the biased
 * variance.
 *
 * <p>Every sum over elements (dot, the softmax and log-softmax normaliser, LayerNorm's mean and variance) runs
 * in {@link #LOGICAL_LANES} logical lanes: element i of the first n − n mod 16 goes to partial sum i mod 16
 * (each an in-order chain from +0), the partial sums are added in lane order starting from lane 0, and the
 * remaining elements are added to that in order. That is the order of a 512-bit vector loop, and the vector
 * twins reproduce it with 1, 2 or 4 vectors at 512, 256 or 128 bits, so a result does not depend on the
 * vector width (nor on whether the scalar or a vector path ran).
 */
public final class ScalarOps {

  /** Number of partial sums of every reduction (see the class comment). */
  public static final int LOGICAL_LANES = 16;

  private ScalarOps() {}

  /** The partial sums added in lane order (the first is the start, not +0 + it). */
  private static float laneSum(float[] p) {
    float s = p[0];
    for (int j = 1; j < LOGICAL_LANES; j++) {
      s += p[j];
    }
    return s;
  }

  /** Σ a[ao+i]·b[bo+i] for i in [0, n): fused multiply-adds per logical lane (see the class comment). */
  public static float dot(float[] a, int ao, float[] b, int bo, int n) {
    float[] p = new float[LOGICAL_LANES];
    int bound = n - n % LOGICAL_LANES;
    int i = 0;
    for (; i < bound; i += LOGICAL_LANES) {
      for (int j = 0; j < LOGICAL_LANES; j++) {
        p[j] = Math.fma(a[ao + i + j], b[bo + i + j], p[j]);
      }
    }
    float s = laneSum(p);
    for (; i < n; i++) {
      s = Math.fma(a[ao + i], b[bo + i], s);
    }
    return s;
  }

  /** Σ x[o+i] for i in [0, n), in logical lanes (see the class comment). */
  static float sum(float[] x, int o, int n) {
    float[] p = new float[LOGICAL_LANES];
    int bound = n - n % LOGICAL_LANES;
    int i = 0;
    for (; i < bound; i += LOGICAL_LANES) {
      for (int j = 0; j < LOGICAL_LANES; j++) {
        p[j] += x[o + i + j];
      }
    }
    float s = laneSum(p);
    for (; i < n; i++) {
      s += x[o + i];
    }
    return s;
  }

  /** y[yo+i] += alpha·x[xo+i]. */
  public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
    }
  }

  /** y[yo+i] += x[xo+i]. */
  public static void add(float[] x, int xo, float[] y, int yo, int n) {
    for (int i = 0; i < n; i++) {
      y[yo + i] += x[xo + i];
    }
  }

  /**
   * y[yo+j] = Σ_{i<k} x[xo+i]·a[ao + i·stride + j] for j in [0, n): a vector–matrix product with the
   * matrix stored transposed (attention scores over transposed keys). Each y[j] is an in-order fused
   * multiply-add chain from +0.
   */
  public static void gemvTransposed(
      float[] x, int xo, int k, float[] a, int ao, int stride, float[] y, int yo, int n) {
    for (int j = 0; j < n; j++) {
      float s = 0f;
      for (int i = 0; i < k; i++) {
        s = Math.fma(x[xo + i], a[ao + i * stride + j], s);
      }
      y[yo + j] = s;
    }
  }

  /**
   * y[yo+c] = Σ_{j<n} w[wo+j]·v[vo + j·vStride + c] for c in [0, width): a weighted sum of rows (the
   * attention context). Each y[c] is an in-order fused multiply-add chain from +0.
   */
  public static void weightedRows(
      float[] w, int wo, int n, float[] v, int vo, int vStride, int width, float[] y, int yo) {
    weightedRows(w, wo, n, v, vo, vStride, width, y, yo, false);
  }

  /**
   * {@link #weightedRows(float[], int, int, float[], int, int, int, float[], int)}, or with {@code
   * accumulate} the chains continued from y: {@code y[yo+c] += Σ_j ...} one rounded fused multiply-add at a
   * time, so running it over the keys in pieces gives the bits of one run over all of them.
   */
  public static void weightedRows(
      float[] w, int wo, int n, float[] v, int vo, int vStride, int width, float[] y, int yo, boolean accumulate) {
    for (int c = 0; c < width; c++) {
      float s = accumulate ? y[yo + c] : 0f;
      for (int j = 0; j < n; j++) {
        s = Math.fma(w[wo + j], v[vo + j * vStride + c], s);
      }
      y[yo + c] = s;
    }
  }

  /**
   * Multi-head attention of one query row over n keys (the reference of {@link VectorOps#attend}), the
   * keys and values held in chunks of {@code chunk} positions: key j is in chunk j / chunk, at index i = j
   * mod chunk. Keys are stored transposed (dimension c of that key at {@code kc[j / chunk][kto + c·ktStride
   * + i]}), values as rows ({@code vc[j / chunk][vo + i·d + c]}); one array with one chunk of stride ≥ n
   * is the unchunked layout. For each head h (dims [h·hd, (h+1)·hd), hd = d / heads): the scores {@code
   * s_j = q_h·k_j} as {@link #gemvTransposed} computes them, scaled ({@link #scale}), {@link #softmax} over
   * j &lt; n, and the context {@code ctx[co + h·hd + c] = Σ_j p_j·v_j[h·hd + c]}, one in-order chain over
   * all n keys as {@link #weightedRows} (continued chunk after chunk). {@code scores} receives head h's
   * probabilities at {@code h·sStride} (at least heads·sStride floats).
   */
  public static void attend(float[] q, int qo, float[][] kc, int kto, int ktStride, float[][] vc, int vo,
      int chunk, int n, int d, int heads, float scaling, float[] ctx, int co, float[] scores, int sStride) {
    int hd = d / heads;
    for (int h = 0; h < heads; h++) {
      int ho = h * hd;
      int so = h * sStride;
      for (int ch = 0, j0 = 0; j0 < n; ch++, j0 += chunk) {
        gemvTransposed(q, qo + ho, hd, kc[ch], kto + ho * ktStride, ktStride, scores, so + j0, Math.min(chunk, n - j0));
      }
      scale(scores, so, n, scaling);
      softmax(scores, so, n);
      for (int ch = 0, j0 = 0; j0 < n; ch++, j0 += chunk) {
        weightedRows(scores, so + j0, Math.min(chunk, n - j0), vc[ch], vo + ho, d, hd, ctx, co + ho, ch > 0);
      }
    }
  }

  /** x[o+i] *= s. */
  public static void scale(float[] x, int o, int n, float s) {
    for (int i = 0; i < n; i++) {
      x[o + i] *= s;
    }
  }

  /**
   * The index (from 0) of the first NaN or ±∞ in x[o, o+n), or -1 when all are finite. Scans blocks of
   * {@link #FINITE_BLOCK} for the largest magnitude bit pattern (a float is NaN or ±∞ exactly when its
   * bits without the sign are ≥ those of +∞): a loop without an early exit, which C2 vectorizes and which
   * stays fast in the interpreter and C1 (this runs once per tensor at load, before the JIT has warmed
   * up: a Vector API loop there ran ~100× slower); only a block that holds one is scanned element by element.
   */
  public static int firstNonFinite(float[] x, int o, int n) {
    for (int b = 0; b < n; b += FINITE_BLOCK) {
      int end = Math.min(n, b + FINITE_BLOCK);
      int m = 0;
      for (int i = b; i < end; i++) {
        m = Math.max(m, Float.floatToRawIntBits(x[o + i]) & 0x7fffffff);
      }
      if (m >= INF_BITS) {
        for (int i = b; i < end; i++) {
          if (!Float.isFinite(x[o + i])) {
            return i;
          }
        }
      }
    }
    return -1;
  }

  /** Elements per block of {@link #firstNonFinite}. */
  static final int FINITE_BLOCK = 4096;

  private static final int INF_BITS = Float.floatToRawIntBits(Float.POSITIVE_INFINITY);

  /** The largest element (-∞ when every element is -∞; NaN propagates). n ≥ 1. */
  public static float max(float[] x, int o, int n) {
    float m = Float.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      m = Math.max(m, x[o + i]);
    }
    return m;
  }

  /** In-place softmax of x[o, o+n). At least one element must be finite. */
  public static void softmax(float[] x, int o, int n) {
    float m = max(x, o, n);
    for (int i = 0; i < n; i++) {
      x[o + i] = Exp.exp(x[o + i] - m);
    }
    float sum = sum(x, o, n);
    float inv = 1f / sum;
    for (int i = 0; i < n; i++) {
      x[o + i] *= inv;
    }
  }

  /** In-place log-softmax of x[o, o+n); -∞ entries stay -∞. At least one element must be finite. */
  public static void logSoftmax(float[] x, int o, int n) {
    float m = max(x, o, n);
    float[] p = new float[LOGICAL_LANES];
    int bound = n - n % LOGICAL_LANES;
    int i = 0;
    for (; i < bound; i += LOGICAL_LANES) {
      for (int j = 0; j < LOGICAL_LANES; j++) {
        p[j] += Exp.exp(x[o + i + j] - m);
      }
    }
    float sum = laneSum(p);
    for (; i < n; i++) {
      sum += Exp.exp(x[o + i] - m);
    }
    float logSum = (float) Math.log(sum);
    for (i = 0; i < n; i++) {
      x[o + i] = (x[o + i] - m) - logSum;
    }
  }

  /**
   * Σ e^(((x[o+i] − a) − b) − c) for i in [0, n), in logical lanes (see the class comment); each
   * subtraction is rounded. With b = c = +0 this is the normaliser of {@link #logSoftmax} (x − 0 is x for
   * every float), with (m, logSum, m2) the one of a second log-softmax over the first one's output.
   */
  public static float sumExp(float[] x, int o, int n, float a, float b, float c) {
    float[] p = new float[LOGICAL_LANES];
    int bound = n - n % LOGICAL_LANES;
    int i = 0;
    for (; i < bound; i += LOGICAL_LANES) {
      for (int j = 0; j < LOGICAL_LANES; j++) {
        p[j] += Exp.exp(((x[o + i + j] - a) - b) - c);
      }
    }
    float sum = laneSum(p);
    for (; i < n; i++) {
      sum += Exp.exp(((x[o + i] - a) - b) - c);
    }
    return sum;
  }

  /**
   * {@link #sumExp} of a row of {@code vocab} values given only at the ascending {@code ids} (x[o+k] is the
   * value of id ids[k]) and −∞ elsewhere: the same bits as {@link #sumExp} over the whole row, because
   * e^−∞ is +0 and adding +0 changes no partial sum. Id i goes to logical lane i mod 16 below
   * vocab − vocab mod 16, the ids above are added in order after the lanes.
   */
  public static float sumExpAt(float[] x, int o, int[] ids, int n, int vocab, float a, float b, float c) {
    float[] p = new float[LOGICAL_LANES];
    int bound = vocab - vocab % LOGICAL_LANES;
    int k = 0;
    for (; k < n && ids[k] < bound; k++) {
      p[ids[k] & (LOGICAL_LANES - 1)] += Exp.exp(((x[o + k] - a) - b) - c);
    }
    float sum = laneSum(p);
    for (; k < n; k++) {
      sum += Exp.exp(((x[o + k] - a) - b) - c);
    }
    return sum;
  }

  /**
   * The first i in [from, n) with {@code base + ((((x[o+i] − a) − b) − c) − d) > threshold} (each
   * operation rounded; NaN never is), or n when there is none.
   */
  public static int firstAbove(
      float[] x, int o, int from, int n, float a, float b, float c, float d, float base, float threshold) {
    for (int i = from; i < n; i++) {
      if (base + ((((x[o + i] - a) - b) - c) - d) > threshold) {
        return i;
      }
    }
    return n;
  }

  /**
   * In-place LayerNorm of x[o, o+n): mean and biased variance over the n elements, then
   * {@code (x·rstd − rstd·mean)·gamma + beta} with {@code rstd = 1/sqrt(var + eps)}, each multiply and
   * add rounded separately as in PyTorch's kernel (so a constant row gives exactly beta).
   */
  public static void layerNorm(float[] x, int o, int n, float[] gamma, float[] beta, float eps) {
    float mean = sum(x, o, n) / n;
    float[] p = new float[LOGICAL_LANES];
    int bound = n - n % LOGICAL_LANES;
    int i = 0;
    for (; i < bound; i += LOGICAL_LANES) {
      for (int j = 0; j < LOGICAL_LANES; j++) {
        float c = x[o + i + j] - mean;
        p[j] = Math.fma(c, c, p[j]);
      }
    }
    float sq = laneSum(p);
    for (; i < n; i++) {
      float c = x[o + i] - mean;
      sq = Math.fma(c, c, sq);
    }
    float var = sq / n;
    float rstd = (float) (1.0 / Math.sqrt(var + eps));
    float shift = -rstd * mean;
    for (i = 0; i < n; i++) {
      x[o + i] = (x[o + i] * rstd + shift) * gamma[i] + beta[i];
    }
  }

  /** In-place max(x, 0). */
  public static void relu(float[] x, int o, int n) {
    for (int i = 0; i < n; i++) {
      x[o + i] = Math.max(x[o + i], 0f);
    }
  }

  /** In-place swish/SiLU: x / (1 + e^-x), as torch.nn.functional.silu. */
  public static void swish(float[] x, int o, int n) {
    for (int i = 0; i < n; i++) {
      float v = x[o + i];
      x[o + i] = v / (1f + Exp.exp(-v));
    }
  }

  /** In-place exact GELU 0.5·x·(1 + erf(x/√2)) with {@link #erf}. */
  public static void gelu(float[] x, int o, int n) {
    for (int i = 0; i < n; i++) {
      float v = x[o + i];
      x[o + i] = 0.5f * v * (1f + erf(v * Erf.SQRT1_2));
    }
  }

  /** In-place tanh-approximated GELU ("gelu_new"): 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
  public static void geluTanh(float[] x, int o, int n) {
    for (int i = 0; i < n; i++) {
      float v = x[o + i];
      float inner = Erf.SQRT_2_OVER_PI * (v + Erf.GELU_CUBIC * v * v * v);
      x[o + i] = 0.5f * v * (1f + Exp.tanh(inner));
    }
  }

  /**
   * erf(x) in float by the rational approximation of {@link Erf} (absolute error below 2e-7); the
   * vector kernel evaluates the same formula.
   */
  public static float erf(float x) {
    float a = Math.abs(x);
    float t = 1f / Math.fma(Erf.P, a, 1f);
    float poly = Erf.poly(t);
    float y = 1f - poly * t * Exp.exp(-a * a);
    return Math.copySign(y, x);
  }
}
