package dev.jnmt.decoder.ops;

import dev.jnmt.decoder.config.Activation;
import dev.jnmt.intgemm.VectorWidth;

/**
 * The float32 operations the model calls: {@link VectorOps} unless {@link VectorWidth#current()} is
 * {@link VectorWidth#SCALAR} (property {@code intgemm4j.width=0}, or no {@code jdk.incubator.vector}),
 * then {@link ScalarOps}. The choice is a static final constant, so the JIT removes the branch.
 */
public final class FloatOps {

  /** Whether the vector kernels are in use. */
  public static final boolean VECTOR = VectorWidth.current() != VectorWidth.SCALAR;

  /**
   * Lanes of the float kernels (1 for scalar): {@link #gemvTransposed} needs its column count rounded
   * up to a multiple of this, so arrays it reads are padded to {@link #PAD}.
   */
  public static final int LANES = VECTOR ? VectorOps.lanes() : 1;

  /** A padding that is a multiple of {@link #LANES} at every vector width (512 bits = 16 floats). */
  public static final int PAD = 16;

  private FloatOps() {}

  /** n rounded up to a multiple of {@link #LANES}. */
  public static int roundUpToLanes(int n) {
    return (n + LANES - 1) / LANES * LANES;
  }

  /** n rounded up to a multiple of {@link #PAD}. */
  public static int roundUpToPad(int n) {
    return (n + PAD - 1) / PAD * PAD;
  }

  /**
   * See {@link ScalarOps#gemvTransposed}; n must be a multiple of {@link #LANES} and the rows of a must
   * have n readable elements (same bits as the scalar twin at every width).
   */
  public static void gemvTransposed(
      float[] x, int xo, int k, float[] a, int ao, int stride, float[] y, int yo, int n) {
    if (VECTOR) {
      VectorOps.gemvTransposed(x, xo, k, a, ao, stride, y, yo, n);
    } else {
      ScalarOps.gemvTransposed(x, xo, k, a, ao, stride, y, yo, n);
    }
  }

  /**
   * See {@link ScalarOps#attend}; chunk must be a multiple of {@link #PAD}, each chunk's keys padded to a
   * multiple of {@link #LANES} and readable (ktStride ≥ chunk when there are several chunks), and scores
   * must hold heads·sStride floats, sStride ≥ n rounded up to the lanes (same bits as the scalar twin at
   * every width and for every chunking).
   */
  public static void attend(float[] q, int qo, float[][] kc, int kto, int ktStride, float[][] vc, int vo,
      int chunk, int n, int d, int heads, float scaling, float[] ctx, int co, float[] scores, int sStride) {
    if (VECTOR) {
      VectorOps.attend(q, qo, kc, kto, ktStride, vc, vo, chunk, n, d, heads, scaling, ctx, co, scores, sStride);
    } else {
      ScalarOps.attend(q, qo, kc, kto, ktStride, vc, vo, chunk, n, d, heads, scaling, ctx, co, scores, sStride);
    }
  }

  /** See {@link ScalarOps#weightedRows} (same bits as the scalar twin at every width). */
  public static void weightedRows(
      float[] w, int wo, int n, float[] v, int vo, int vStride, int width, float[] y, int yo) {
    if (VECTOR) {
      VectorOps.weightedRows(w, wo, n, v, vo, vStride, width, y, yo);
    } else {
      ScalarOps.weightedRows(w, wo, n, v, vo, vStride, width, y, yo);
    }
  }

  public static void add(float[] x, int xo, float[] y, int yo, int n) {
    if (VECTOR) {
      VectorOps.add(x, xo, y, yo, n);
    } else {
      ScalarOps.add(x, xo, y, yo, n);
    }
  }

  public static void scale(float[] x, int o, int n, float s) {
    if (VECTOR) {
      VectorOps.scale(x, o, n, s);
    } else {
      ScalarOps.scale(x, o, n, s);
    }
  }

  /** {@link ScalarOps#firstNonFinite}: a scalar loop at every width (see there why). */
  public static int firstNonFinite(float[] x, int o, int n) {
    return ScalarOps.firstNonFinite(x, o, n);
  }

  public static void softmax(float[] x, int o, int n) {
    if (VECTOR) {
      VectorOps.softmax(x, o, n);
    } else {
      ScalarOps.softmax(x, o, n);
    }
  }

  public static void logSoftmax(float[] x, int o, int n) {
    if (VECTOR) {
      VectorOps.logSoftmax(x, o, n);
    } else {
      ScalarOps.logSoftmax(x, o, n);
    }
  }

  /** See {@link ScalarOps#max}. */
  public static float max(float[] x, int o, int n) {
    return VECTOR ? VectorOps.max(x, o, n) : ScalarOps.max(x, o, n);
  }

  /** See {@link ScalarOps#sumExp} (same bits as the scalar twin at every width). */
  public static float sumExp(float[] x, int o, int n, float a, float b, float c) {
    return VECTOR ? VectorOps.sumExp(x, o, n, a, b, c) : ScalarOps.sumExp(x, o, n, a, b, c);
  }

  /** See {@link ScalarOps#sumExpAt} (scalar: a gather per element). */
  public static float sumExpAt(float[] x, int o, int[] ids, int n, int vocab, float a, float b, float c) {
    return ScalarOps.sumExpAt(x, o, ids, n, vocab, a, b, c);
  }

  /** See {@link ScalarOps#firstAbove} (the same index as the scalar twin at every width). */
  public static int firstAbove(
      float[] x, int o, int from, int n, float a, float b, float c, float d, float base, float threshold) {
    return VECTOR
        ? VectorOps.firstAbove(x, o, from, n, a, b, c, d, base, threshold)
        : ScalarOps.firstAbove(x, o, from, n, a, b, c, d, base, threshold);
  }

  public static void layerNorm(float[] x, int o, int n, float[] gamma, float[] beta, float eps) {
    if (VECTOR) {
      VectorOps.layerNorm(x, o, n, gamma, beta, eps);
    } else {
      ScalarOps.layerNorm(x, o, n, gamma, beta, eps);
    }
  }

  /** Applies an activation in place. */
  public static void activate(Activation act, float[] x, int o, int n) {
    if (VECTOR) {
      switch (act) {
        case RELU -> VectorOps.relu(x, o, n);
        case SWISH -> VectorOps.swish(x, o, n);
        case GELU -> VectorOps.gelu(x, o, n);
        case GELU_NEW -> VectorOps.geluTanh(x, o, n);
      }
    } else {
      switch (act) {
        case RELU -> ScalarOps.relu(x, o, n);
        case SWISH -> ScalarOps.swish(x, o, n);
        case GELU -> ScalarOps.gelu(x, o, n);
        case GELU_NEW -> ScalarOps.geluTanh(x, o, n);
      }
    }
  }
}
