// Over 400 lines: every element-wise kernel of the decoder in its Vector API form, each next to the
// lane-order rules that make it bit-identical to its ScalarOps twin.
package dev.jnmt.decoder.ops;

import dev.jnmt.intgemm.VectorWidth;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code jdk.incubator.vector} twins of {@link ScalarOps}: same contracts, float lanes of the width
 * {@link VectorWidth#current()} chose (256 bits when it chose scalar, so that tests can still compare).
 * Results are the scalar twins' bits at every width: element-wise code evaluates the same operations,
 * and every sum runs in {@link #LOGICAL_LANES} logical lanes — element i goes to partial sum i mod 16, the
 * 16 partial sums are added in lane order, then the elements past the last full group of 16 in order —
 * which is 1 vector at 512 bits, 2 at 256 and 4 at 128, so the grouping, and hence the result, does not
 * depend on the species. e^x and tanh are {@link Exp}'s,
 * evaluated lane-wise with the same operations, never the Vector API's exponential or hyperbolic tangent
 * (whose results change when C2 compiles the caller), and sums use {@link #sum}, never a lane
 * reduction: so a result does not depend on how warm the JVM is.
 *
 * <p>Element-wise code must give the same bits in a vector lane and in the scalar tail: the decoder applies
 * the activations to [rows × ffn] at once, so otherwise an element's bits would depend on where it fell
 * relative to the end of the array, i.e. on how many rows were batched together (seen with the Vector
 * API's EXP at 512 bits and an FFN width of 40: beam search one sentence at a time and forced decoding of
 * the same hypotheses disagreed in the last bit). The tails therefore evaluate the scalar twins' formulas,
 * operation for operation.
 */
public final class VectorOps {

  static final VectorSpecies<Float> S = species();
  private static final int L = S.length();

  /** Partial sums of every reduction, whatever the width (16 = the float lanes of 512 bits). */
  public static final int LOGICAL_LANES = ScalarOps.LOGICAL_LANES;

  /** Vectors per group of {@link #LOGICAL_LANES}: 1 at 512 bits, 2 at 256, 4 at 128 (a constant for C2). */
  private static final int G = LOGICAL_LANES / L;

  private VectorOps() {}

  private static VectorSpecies<Float> species() {
    return switch (VectorWidth.current()) {
      case V128 -> FloatVector.SPECIES_128;
      case V512 -> FloatVector.SPECIES_512;
      case SCALAR, V256 -> FloatVector.SPECIES_256;
    };
  }

  /** The number of float lanes. */
  public static int lanes() {
    return L;
  }

  public static float dot(float[] a, int ao, float[] b, int bo, int n) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    int bound = n - n % LOGICAL_LANES;
    for (; i < bound; i += LOGICAL_LANES) {
      a0 = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), a0);
      if (G > 1) {
        a1 = FloatVector.fromArray(S, a, ao + i + L).fma(FloatVector.fromArray(S, b, bo + i + L), a1);
      }
      if (G > 2) {
        a2 = FloatVector.fromArray(S, a, ao + i + 2 * L).fma(FloatVector.fromArray(S, b, bo + i + 2 * L), a2);
        a3 = FloatVector.fromArray(S, a, ao + i + 3 * L).fma(FloatVector.fromArray(S, b, bo + i + 3 * L), a3);
      }
    }
    float s = sum(a0, a1, a2, a3);
    for (; i < n; i++) {
      s = Math.fma(a[ao + i], b[bo + i], s);
    }
    return s;
  }

  public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    FloatVector va = FloatVector.broadcast(S, alpha);
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, x, xo + i)
          .fma(va, FloatVector.fromArray(S, y, yo + i))
          .intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = Math.fma(alpha, x[xo + i], y[yo + i]);
    }
  }

  public static void add(float[] x, int xo, float[] y, int yo, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, y, yo + i).add(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] += x[xo + i];
    }
  }

  /**
   * {@link ScalarOps#gemvTransposed} for n a multiple of {@link #lanes()} (callers pad the key stride):
   * lanes hold consecutive j, four vectors at a time, so there is no reduction and each y[j] has exactly
   * the scalar twin's summation order.
   */
  public static void gemvTransposed(
      float[] x, int xo, int k, float[] a, int ao, int stride, float[] y, int yo, int n) {
    int j = 0;
    for (; j + 4 * L <= n; j += 4 * L) {
      FloatVector s0 = FloatVector.zero(S);
      FloatVector s1 = FloatVector.zero(S);
      FloatVector s2 = FloatVector.zero(S);
      FloatVector s3 = FloatVector.zero(S);
      int row = ao + j;
      for (int i = 0; i < k; i++, row += stride) {
        FloatVector xi = FloatVector.broadcast(S, x[xo + i]);
        s0 = xi.fma(FloatVector.fromArray(S, a, row), s0);
        s1 = xi.fma(FloatVector.fromArray(S, a, row + L), s1);
        s2 = xi.fma(FloatVector.fromArray(S, a, row + 2 * L), s2);
        s3 = xi.fma(FloatVector.fromArray(S, a, row + 3 * L), s3);
      }
      s0.intoArray(y, yo + j);
      s1.intoArray(y, yo + j + L);
      s2.intoArray(y, yo + j + 2 * L);
      s3.intoArray(y, yo + j + 3 * L);
    }
    for (; j < n; j += L) {
      FloatVector s0 = FloatVector.zero(S);
      int row = ao + j;
      for (int i = 0; i < k; i++, row += stride) {
        s0 = FloatVector.broadcast(S, x[xo + i]).fma(FloatVector.fromArray(S, a, row), s0);
      }
      s0.intoArray(y, yo + j);
    }
  }

  /**
   * {@link ScalarOps#attend} in one pass over the heads: the scores of up to four heads are accumulated
   * together (four independent chains instead of one, each still the in-order chain over its head's
   * dimensions) and scaled as they are stored; each head's softmax runs on whole vectors (the padded lanes
   * are computed and ignored; the sum takes only the n real ones, in {@link #sumRow}'s order); the context
   * of all heads is accumulated eight vectors at a time, each an in-order chain over the keys, chunk after
   * chunk in registers. Same bits as the scalar twin: every element sees the same operations in the same
   * order, whatever the chunking.
   */
  public static void attend(float[] q, int qo, float[][] kc, int kto, int ktStride, float[][] vc, int vo,
      int chunk, int n, int d, int heads, float scaling, float[] ctx, int co, float[] scores, int sStride) {
    int hd = d / heads;
    int nv = (n + L - 1) / L * L;
    if (chunk % L != 0 || nv > sStride || (n > chunk ? chunk : nv) > ktStride || scores.length < heads * sStride) {
      throw new IllegalArgumentException("chunk " + chunk + ", key stride " + ktStride + ", score stride "
          + sStride + " or scores " + scores.length + " too small for " + n + " keys and " + heads + " heads");
    }
    scores(q, qo, kc, kto, ktStride, chunk, n, hd, heads, scaling, scores, sStride);
    for (int h = 0; h < heads; h++) {
      softmaxRow(scores, h * sStride, n, nv);
    }
    if (hd % L != 0 || d % (8 * L) != 0) {
      for (int h = 0; h < heads; h++) {
        for (int ch = 0, j0 = 0; j0 < n; ch++, j0 += chunk) {
          weightedRows(scores, h * sStride + j0, Math.min(chunk, n - j0), vc[ch], vo + h * hd, d, hd, ctx,
              co + h * hd, ch > 0);
        }
      }
    } else {
      context(scores, sStride, n, vc, vo, chunk, d, hd, ctx, co);
    }
  }

  /**
   * The scaled scores of every head (see {@link #attend}): per chunk, its keys rounded up to whole
   * vectors (a multiple of the lanes; the padding keys are computed and ignored).
   */
  private static void scores(float[] q, int qo, float[][] kc, int kto, int ktStride, int chunk, int n, int hd,
      int heads, float scaling, float[] scores, int sStride) {
    int h = 0;
    for (; h + 4 <= heads; h += 4) {
      int ho = h * hd;
      for (int ch = 0, j0 = 0; j0 < n; ch++, j0 += chunk) {
        float[] kt = kc[ch];
        int nv = (Math.min(chunk, n - j0) + L - 1) / L * L;
        for (int j = 0; j < nv; j += L) {
          FloatVector s0 = FloatVector.zero(S);
          FloatVector s1 = s0;
          FloatVector s2 = s0;
          FloatVector s3 = s0;
          int r0 = kto + ho * ktStride + j;
          for (int i = 0; i < hd; i++, r0 += ktStride) {
            int qi = qo + ho + i;
            s0 = FloatVector.broadcast(S, q[qi]).fma(FloatVector.fromArray(S, kt, r0), s0);
            s1 = FloatVector.broadcast(S, q[qi + hd]).fma(FloatVector.fromArray(S, kt, r0 + hd * ktStride), s1);
            s2 = FloatVector.broadcast(S, q[qi + 2 * hd]).fma(FloatVector.fromArray(S, kt, r0 + 2 * hd * ktStride), s2);
            s3 = FloatVector.broadcast(S, q[qi + 3 * hd]).fma(FloatVector.fromArray(S, kt, r0 + 3 * hd * ktStride), s3);
          }
          int so = h * sStride + j0 + j;
          s0.mul(scaling).intoArray(scores, so);
          s1.mul(scaling).intoArray(scores, so + sStride);
          s2.mul(scaling).intoArray(scores, so + 2 * sStride);
          s3.mul(scaling).intoArray(scores, so + 3 * sStride);
        }
      }
    }
    for (; h < heads; h++) {
      int ho = h * hd;
      for (int ch = 0, j0 = 0; j0 < n; ch++, j0 += chunk) {
        float[] kt = kc[ch];
        int nv = (Math.min(chunk, n - j0) + L - 1) / L * L;
        for (int j = 0; j < nv; j += L) {
          FloatVector s0 = FloatVector.zero(S);
          int r0 = kto + ho * ktStride + j;
          for (int i = 0; i < hd; i++, r0 += ktStride) {
            s0 = FloatVector.broadcast(S, q[qo + ho + i]).fma(FloatVector.fromArray(S, kt, r0), s0);
          }
          s0.mul(scaling).intoArray(scores, h * sStride + j0 + j);
        }
      }
    }
  }

  /**
   * The context of every head, eight vectors at a time (hd a multiple of the lanes, d of eight vectors):
   * vector k of a group belongs to head (c + k·L) / hd and takes that head's probabilities; the
   * accumulators stay in registers from the first chunk's first key to the last chunk's last.
   */
  private static void context(float[] scores, int sStride, int n, float[][] vc, int vo, int chunk, int d, int hd,
      float[] ctx, int co) {
    for (int c = 0; c < d; c += 8 * L) {
      int w0 = c / hd * sStride;
      int w1 = (c + L) / hd * sStride;
      int w2 = (c + 2 * L) / hd * sStride;
      int w3 = (c + 3 * L) / hd * sStride;
      int w4 = (c + 4 * L) / hd * sStride;
      int w5 = (c + 5 * L) / hd * sStride;
      int w6 = (c + 6 * L) / hd * sStride;
      int w7 = (c + 7 * L) / hd * sStride;
      FloatVector a0 = FloatVector.zero(S);
      FloatVector a1 = a0;
      FloatVector a2 = a0;
      FloatVector a3 = a0;
      FloatVector a4 = a0;
      FloatVector a5 = a0;
      FloatVector a6 = a0;
      FloatVector a7 = a0;
      for (int ch = 0, j0 = 0; j0 < n; ch++, j0 += chunk) {
        float[] v = vc[ch];
        int end = j0 + Math.min(chunk, n - j0);
        int row = vo + c;
        for (int j = j0; j < end; j++, row += d) {
          a0 = FloatVector.broadcast(S, scores[w0 + j]).fma(FloatVector.fromArray(S, v, row), a0);
          a1 = FloatVector.broadcast(S, scores[w1 + j]).fma(FloatVector.fromArray(S, v, row + L), a1);
          a2 = FloatVector.broadcast(S, scores[w2 + j]).fma(FloatVector.fromArray(S, v, row + 2 * L), a2);
          a3 = FloatVector.broadcast(S, scores[w3 + j]).fma(FloatVector.fromArray(S, v, row + 3 * L), a3);
          a4 = FloatVector.broadcast(S, scores[w4 + j]).fma(FloatVector.fromArray(S, v, row + 4 * L), a4);
          a5 = FloatVector.broadcast(S, scores[w5 + j]).fma(FloatVector.fromArray(S, v, row + 5 * L), a5);
          a6 = FloatVector.broadcast(S, scores[w6 + j]).fma(FloatVector.fromArray(S, v, row + 6 * L), a6);
          a7 = FloatVector.broadcast(S, scores[w7 + j]).fma(FloatVector.fromArray(S, v, row + 7 * L), a7);
        }
      }
      a0.intoArray(ctx, co + c);
      a1.intoArray(ctx, co + c + L);
      a2.intoArray(ctx, co + c + 2 * L);
      a3.intoArray(ctx, co + c + 3 * L);
      a4.intoArray(ctx, co + c + 4 * L);
      a5.intoArray(ctx, co + c + 5 * L);
      a6.intoArray(ctx, co + c + 6 * L);
      a7.intoArray(ctx, co + c + 7 * L);
    }
  }

  /**
   * {@link ScalarOps#softmax} of x[o, o+n) computed on nv ≥ n elements (a multiple of the lanes, all
   * readable): e^(x−max) lane-wise on whole vectors (the lanes past n are computed and ignored), the sum
   * of the n real ones in logical-lane order ({@link #sumRow}), then the multiply by 1/sum. The max is the
   * scalar loop's (the same value in any order; attention rows are short): with the vector max too, C2's
   * compilation of this method ran past NodeCountInliningCutoff before {@link #sum} and boxed the four
   * partial sums of every row.
   */
  private static void softmaxRow(float[] x, int o, int n, int nv) {
    expInPlace(x, o, nv, ScalarOps.max(x, o, n));
    scale(x, o, nv, 1f / sumRow(x, o, n));
  }

  /**
   * x[o+i] = e^(x[o+i] − m) for i in [0, n): whole vectors, then the scalar twin's formula on the tail. The
   * one loop in which {@link #exp} stores its result: kernels call this, never {@link #exp} in a loop of
   * their own, so that each compiled method inlines exp at one call site (see {@link #sumExp}).
   */
  static void expInPlace(float[] x, int o, int n, float m) {
    FloatVector vm = FloatVector.broadcast(S, m);
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      exp(FloatVector.fromArray(S, x, o + i).sub(vm)).intoArray(x, o + i);
    }
    for (; i < n; i++) {
      x[o + i] = Exp.exp(x[o + i] - m);
    }
  }

  /** {@link ScalarOps#sum}: 16 logical lanes over the full groups, their partial sums in lane order, then the tail. */
  static float sumRow(float[] x, int o, int n) {
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    int bound = n - n % LOGICAL_LANES;
    for (; i < bound; i += LOGICAL_LANES) {
      a0 = a0.add(FloatVector.fromArray(S, x, o + i));
      if (G > 1) {
        a1 = a1.add(FloatVector.fromArray(S, x, o + i + L));
      }
      if (G > 2) {
        a2 = a2.add(FloatVector.fromArray(S, x, o + i + 2 * L));
        a3 = a3.add(FloatVector.fromArray(S, x, o + i + 3 * L));
      }
    }
    float s = sum(a0, a1, a2, a3);
    for (; i < n; i++) {
      s += x[o + i];
    }
    return s;
  }

  /**
   * {@link ScalarOps#weightedRows}: lanes hold consecutive c, four vectors at a time kept in
   * registers over all n rows; a width that is not a multiple of {@link #lanes()} ends in scalar code.
   */
  public static void weightedRows(
      float[] w, int wo, int n, float[] v, int vo, int vStride, int width, float[] y, int yo) {
    weightedRows(w, wo, n, v, vo, vStride, width, y, yo, false);
  }

  /** {@link ScalarOps#weightedRows(float[], int, int, float[], int, int, int, float[], int, boolean)}. */
  public static void weightedRows(
      float[] w, int wo, int n, float[] v, int vo, int vStride, int width, float[] y, int yo, boolean accumulate) {
    int c = 0;
    for (; c + 4 * L <= width; c += 4 * L) {
      FloatVector s0 = accumulate ? FloatVector.fromArray(S, y, yo + c) : FloatVector.zero(S);
      FloatVector s1 = accumulate ? FloatVector.fromArray(S, y, yo + c + L) : FloatVector.zero(S);
      FloatVector s2 = accumulate ? FloatVector.fromArray(S, y, yo + c + 2 * L) : FloatVector.zero(S);
      FloatVector s3 = accumulate ? FloatVector.fromArray(S, y, yo + c + 3 * L) : FloatVector.zero(S);
      int row = vo + c;
      for (int j = 0; j < n; j++, row += vStride) {
        FloatVector wj = FloatVector.broadcast(S, w[wo + j]);
        s0 = wj.fma(FloatVector.fromArray(S, v, row), s0);
        s1 = wj.fma(FloatVector.fromArray(S, v, row + L), s1);
        s2 = wj.fma(FloatVector.fromArray(S, v, row + 2 * L), s2);
        s3 = wj.fma(FloatVector.fromArray(S, v, row + 3 * L), s3);
      }
      s0.intoArray(y, yo + c);
      s1.intoArray(y, yo + c + L);
      s2.intoArray(y, yo + c + 2 * L);
      s3.intoArray(y, yo + c + 3 * L);
    }
    for (; c + L <= width; c += L) {
      FloatVector s0 = accumulate ? FloatVector.fromArray(S, y, yo + c) : FloatVector.zero(S);
      int row = vo + c;
      for (int j = 0; j < n; j++, row += vStride) {
        s0 = FloatVector.broadcast(S, w[wo + j]).fma(FloatVector.fromArray(S, v, row), s0);
      }
      s0.intoArray(y, yo + c);
    }
    for (; c < width; c++) {
      float s = accumulate ? y[yo + c] : 0f;
      for (int j = 0; j < n; j++) {
        s = Math.fma(w[wo + j], v[vo + j * vStride + c], s);
      }
      y[yo + c] = s;
    }
  }

  public static void scale(float[] x, int o, int n, float s) {
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, x, o + i).mul(s).intoArray(x, o + i);
    }
    for (; i < n; i++) {
      x[o + i] *= s;
    }
  }

  public static float max(float[] x, int o, int n) {
    FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      acc = acc.max(FloatVector.fromArray(S, x, o + i));
    }
    float m = acc.reduceLanes(VectorOperators.MAX);
    for (; i < n; i++) {
      m = Math.max(m, x[o + i]);
    }
    return m;
  }

  /** {@link ScalarOps#softmax}: e^(x − max) in place, their sum in logical-lane order ({@link #sumRow}), the scale. */
  public static void softmax(float[] x, int o, int n) {
    expInPlace(x, o, n, max(x, o, n));
    scale(x, o, n, 1f / sumRow(x, o, n));
  }

  /** {@link ScalarOps#logSoftmax}: its normaliser is {@link #sumExp} with b = c = +0 (x − 0 is x). */
  public static void logSoftmax(float[] x, int o, int n) {
    float m = max(x, o, n);
    float logSum = (float) Math.log(sumExp(x, o, n, m, 0f, 0f));
    FloatVector vm = FloatVector.broadcast(S, m);
    FloatVector vl = FloatVector.broadcast(S, logSum);
    int i = 0;
    int vBound = S.loopBound(n);
    for (; i < vBound; i += L) {
      FloatVector.fromArray(S, x, o + i).sub(vm).sub(vl).intoArray(x, o + i);
    }
    for (; i < n; i++) {
      x[o + i] = (x[o + i] - m) - logSum;
    }
  }

  /**
   * See {@link ScalarOps#sumExp} (same bits at every width). One vector per iteration and one call site of
   * {@link #exp}: vector k of the full groups is added to partial sum k mod {@link #G}, by adding it to a0
   * and rotating a0..a(G−1) (G iterations bring them back in place, and the full groups are a multiple of
   * G vectors). With G call sites, one per partial sum, C2 stopped inlining exp at 256 and 128 bits
   * (NodeCountInliningCutoff) and boxed its argument and result: about 0.5 GB/s in a greedy run.
   */
  public static float sumExp(float[] x, int o, int n, float a, float b, float c) {
    FloatVector va = FloatVector.broadcast(S, a);
    FloatVector vb = FloatVector.broadcast(S, b);
    FloatVector vc = FloatVector.broadcast(S, c);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    int bound = n - n % LOGICAL_LANES;
    for (; i < bound; i += L) {
      FloatVector s = a0.add(exp(FloatVector.fromArray(S, x, o + i).sub(va).sub(vb).sub(vc)));
      if (G == 1) {
        a0 = s;
      } else if (G == 2) {
        a0 = a1;
        a1 = s;
      } else {
        a0 = a1;
        a1 = a2;
        a2 = a3;
        a3 = s;
      }
    }
    float sum = sum(a0, a1, a2, a3);
    for (; i < n; i++) {
      sum += Exp.exp(((x[o + i] - a) - b) - c);
    }
    return sum;
  }

  /** See {@link ScalarOps#firstAbove} (the same index at every width). */
  public static int firstAbove(
      float[] x, int o, int from, int n, float a, float b, float c, float d, float base, float threshold) {
    FloatVector va = FloatVector.broadcast(S, a);
    FloatVector vb = FloatVector.broadcast(S, b);
    FloatVector vc = FloatVector.broadcast(S, c);
    FloatVector vd = FloatVector.broadcast(S, d);
    FloatVector vbase = FloatVector.broadcast(S, base);
    int i = from;
    for (; i + L <= n; i += L) {
      FloatVector v = vbase.add(FloatVector.fromArray(S, x, o + i).sub(va).sub(vb).sub(vc).sub(vd));
      var hit = v.compare(VectorOperators.GT, threshold);
      if (hit.anyTrue()) {
        return i + hit.firstTrue();
      }
    }
    for (; i < n; i++) {
      if (base + ((((x[o + i] - a) - b) - c) - d) > threshold) {
        return i;
      }
    }
    return n;
  }

  public static void layerNorm(float[] x, int o, int n, float[] gamma, float[] beta, float eps) {
    int bound = n - n % LOGICAL_LANES;
    float mean = sumRow(x, o, n) / n;
    FloatVector vmean = FloatVector.broadcast(S, mean);
    FloatVector a0 = FloatVector.zero(S);
    FloatVector a1 = a0;
    FloatVector a2 = a0;
    FloatVector a3 = a0;
    int i = 0;
    for (; i < bound; i += LOGICAL_LANES) {
      FloatVector c0 = FloatVector.fromArray(S, x, o + i).sub(vmean);
      a0 = c0.fma(c0, a0);
      if (G > 1) {
        FloatVector c1 = FloatVector.fromArray(S, x, o + i + L).sub(vmean);
        a1 = c1.fma(c1, a1);
      }
      if (G > 2) {
        FloatVector c2 = FloatVector.fromArray(S, x, o + i + 2 * L).sub(vmean);
        a2 = c2.fma(c2, a2);
        FloatVector c3 = FloatVector.fromArray(S, x, o + i + 3 * L).sub(vmean);
        a3 = c3.fma(c3, a3);
      }
    }
    float sq = sum(a0, a1, a2, a3);
    for (; i < n; i++) {
      float c = x[o + i] - mean;
      sq = Math.fma(c, c, sq);
    }
    float var = sq / n;
    float rstd = (float) (1.0 / Math.sqrt(var + eps));
    float shift = -rstd * mean;
    FloatVector vr = FloatVector.broadcast(S, rstd);
    FloatVector vs = FloatVector.broadcast(S, shift);
    i = 0;
    int vBound = S.loopBound(n);
    for (; i < vBound; i += L) {
      FloatVector.fromArray(S, x, o + i)
          .mul(vr)
          .add(vs)
          .mul(FloatVector.fromArray(S, gamma, i))
          .add(FloatVector.fromArray(S, beta, i))
          .intoArray(x, o + i);
    }
    for (; i < n; i++) {
      x[o + i] = (x[o + i] * rstd + shift) * gamma[i] + beta[i];
    }
  }

  public static void relu(float[] x, int o, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      FloatVector.fromArray(S, x, o + i).max(0f).intoArray(x, o + i);
    }
    for (; i < n; i++) {
      x[o + i] = Math.max(x[o + i], 0f);
    }
  }

  public static void swish(float[] x, int o, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, o + i);
      v.div(exp(v.neg()).add(1f)).intoArray(x, o + i);
    }
    for (; i < n; i++) {
      float v = x[o + i];
      x[o + i] = v / (1f + Exp.exp(-v));
    }
  }

  public static void gelu(float[] x, int o, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, o + i);
      FloatVector e = erf(v.mul(Erf.SQRT1_2));
      v.mul(0.5f).mul(e.add(1f)).intoArray(x, o + i);
    }
    for (; i < n; i++) {
      float v = x[o + i];
      x[o + i] = 0.5f * v * (1f + ScalarOps.erf(v * Erf.SQRT1_2));
    }
  }

  public static void geluTanh(float[] x, int o, int n) {
    int i = 0;
    int bound = S.loopBound(n);
    for (; i < bound; i += L) {
      FloatVector v = FloatVector.fromArray(S, x, o + i);
      FloatVector inner = FloatVector.broadcast(S, Erf.GELU_CUBIC).mul(v).mul(v).mul(v).add(v).mul(Erf.SQRT_2_OVER_PI);
      v.mul(0.5f).mul(tanh(inner).add(1f)).intoArray(x, o + i);
    }
    for (; i < n; i++) {
      float v = x[o + i];
      float inner = Erf.SQRT_2_OVER_PI * (v + Erf.GELU_CUBIC * v * v * v);
      x[o + i] = 0.5f * v * (1f + Exp.tanh(inner));
    }
  }

  /** Lane-wise {@link ScalarOps#erf}. */
  static FloatVector erf(FloatVector x) {
    FloatVector a = x.abs();
    FloatVector t = FloatVector.broadcast(S, 1f).div(a.fma(Erf.P, 1f));
    FloatVector p = FloatVector.broadcast(S, Erf.A5);
    p = p.fma(t, FloatVector.broadcast(S, Erf.A4));
    p = p.fma(t, FloatVector.broadcast(S, Erf.A3));
    p = p.fma(t, FloatVector.broadcast(S, Erf.A2));
    p = p.fma(t, FloatVector.broadcast(S, Erf.A1));
    FloatVector ex = exp(a.mul(a).neg());
    FloatVector y = FloatVector.broadcast(S, 1f).sub(p.mul(t).mul(ex));
    return copySign(y, x);
  }

  /** Lane-wise {@link Exp#exp}: the same operations, so the same bits, as the scalar twin. */
  static FloatVector exp(FloatVector x) {
    FloatVector c = x.blend(Exp.LOW, x.compare(VectorOperators.LT, Exp.LOW));
    c = c.blend(Exp.HIGH, c.compare(VectorOperators.GT, Exp.HIGH));
    FloatVector t = c.fma(Exp.LOG2E, Exp.ROUND);
    FloatVector k = t.sub(Exp.ROUND);
    FloatVector r = k.fma(FloatVector.broadcast(S, -Exp.LN2_HI), c);
    r = k.fma(FloatVector.broadcast(S, -Exp.LN2_LO), r);
    FloatVector p = FloatVector.broadcast(S, Exp.P0);
    p = p.fma(r, FloatVector.broadcast(S, Exp.P1));
    p = p.fma(r, FloatVector.broadcast(S, Exp.P2));
    p = p.fma(r, FloatVector.broadcast(S, Exp.P3));
    p = p.fma(r, FloatVector.broadcast(S, Exp.P4));
    p = p.fma(r, FloatVector.broadcast(S, Exp.P5));
    p = p.fma(r.mul(r), r).add(1f);
    IntVector ki = t.reinterpretAsInts().sub(Exp.ROUND_BITS);
    IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
    IntVector k2 = ki.sub(k1);
    FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    return p.mul(s1).mul(s2);
  }

  /** Lane-wise {@link Exp#tanh}. */
  static FloatVector tanh(FloatVector x) {
    FloatVector e = exp(x.abs().mul(2f));
    FloatVector t = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(e.add(1f)));
    return copySign(t, x);
  }

  /** Lane-wise {@link Math#copySign}: the magnitude bits of m with the sign bit of s. */
  static FloatVector copySign(FloatVector m, FloatVector s) {
    return m.reinterpretAsInts()
        .lanewise(VectorOperators.AND, Integer.MAX_VALUE)
        .lanewise(VectorOperators.OR, s.reinterpretAsInts().lanewise(VectorOperators.AND, Integer.MIN_VALUE))
        .reinterpretAsFloats();
  }

  /**
   * The {@link #LOGICAL_LANES} partial sums held in a0..a3 ({@link #G} of them used) added in logical lane
   * order: lane j of vector g is logical lane g·L + j. Not {@code reduceLanes(ADD)}: its order is
   * unspecified, and the compiled reduction adds in another order than the interpreter's lane-by-lane
   * fallback, so a sum would depend on whether C2 had compiled its caller yet.
   */
  static float sum(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3) {
    float s = a0.lane(0);
    for (int i = 1; i < L; i++) {
      s += a0.lane(i);
    }
    if (G > 1) {
      for (int i = 0; i < L; i++) {
        s += a1.lane(i);
      }
    }
    if (G > 2) {
      for (int i = 0; i < L; i++) {
        s += a2.lane(i);
      }
      for (int i = 0; i < L; i++) {
        s += a3.lane(i);
      }
    }
    return s;
  }
}
