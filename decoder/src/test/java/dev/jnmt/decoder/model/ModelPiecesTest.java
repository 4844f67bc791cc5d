package dev.jnmt.decoder.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnmt.decoder.ops.FloatOps;
import dev.jnmt.decoder.ops.ScalarOps;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Small hand-checked cases for the sinusoids, the dense layer and attention. */
class ModelPiecesTest {

  @Test
  void sinusoidsAreHalvesWithHfFrequencies() {
    int d = 6;
    float[] t = Sinusoids.table(3, d);
    // position 0: sin 0 = 0 in the first half, cos 0 = 1 in the second
    assertArrayEquals(new float[] {0, 0, 0, 1, 1, 1}, java.util.Arrays.copyOfRange(t, 0, 6));
    // position 2, k = 1: angle = 2 / 10000^(2/6)
    double angle = 2 / Math.pow(10000, 2.0 / 6);
    assertEquals((float) Math.sin(angle), t[2 * d + 1]);
    assertEquals((float) Math.cos(angle), t[2 * d + 3 + 1]);
    assertEquals((float) Math.sin(2.0), t[2 * d]);
  }

  @Test
  void denseMatchesHandComputation() {
    // W [out=2, in=3] as HF stores it; y = x·Wᵀ + b
    float[] w = {1, 2, 3, -1, 0, 0.5f};
    float[] b = {0.5f, -1};
    Dense dense = Dense.create(GemmPrecision.FLOAT32, w, 2, 3, b);
    float[] x = {1, 1, 1, 2, 0, -2};
    float[] y = new float[4];
    dense.forward(x, 2, y);
    assertArrayEquals(new float[] {6.5f, -1.5f, -3.5f, -4}, y);
    assertEquals(3, dense.inFeatures());
    assertEquals(2, dense.outFeatures());
  }

  @Test
  void denseRowsDoNotDependOnTheBatch() {
    SplittableRandom r = new SplittableRandom(3);
    int in = 37;
    int out = 29;
    float[] w = new float[in * out];
    float[] b = new float[out];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) r.nextGaussian();
    }
    for (int i = 0; i < out; i++) {
      b[i] = (float) r.nextGaussian();
    }
    Dense dense = Dense.create(GemmPrecision.FLOAT32, w, out, in, b);
    int rows = 11;
    float[] x = new float[rows * in];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    float[] all = new float[rows * out];
    dense.forward(x, rows, all);
    for (int row = 0; row < rows; row++) {
      float[] one = new float[out];
      dense.forward(java.util.Arrays.copyOfRange(x, row * in, (row + 1) * in), 1, one);
      assertArrayEquals(java.util.Arrays.copyOfRange(all, row * out, (row + 1) * out), one, "row " + row);
    }
  }

  @Test
  void transposeLaysKeysOutByDimension() {
    float[] k = {1, 2, 3, 4, 5, 6}; // 2 keys × d = 3
    float[] kt = new float[12];
    Attention.transpose(k, 0, 2, 3, kt, 1, 3);
    assertArrayEquals(new float[] {0, 1, 4, 0, 2, 5, 0, 3, 6, 0, 0, 0}, kt);
  }

  @Test
  void attentionHandChecked() {
    // d = 2, one head: scaling 2^-0.5; query (1, 0); keys (1, 0) and (0, 1); values (10, 0) and (0, 10)
    float[] q = {1, 0};
    float[] k = {1, 0, 0, 1};
    float[] v = {10, 0, 0, 10};
    float[] ctx = new float[2];
    int stride = FloatOps.PAD;
    float[] kt = new float[2 * stride];
    Attention.transpose(k, 0, 2, 2, kt, 0, stride);
    Attention.attend(
        q, 0, new float[][] {kt}, 0, stride, new float[][] {v}, 0, stride, 2, 2, 1, Attention.scaling(2, 1), ctx, 0,
        new float[1 * stride], stride);
    double s = 1 / Math.sqrt(2);
    double p0 = Math.exp(s) / (Math.exp(s) + 1);
    assertEquals(10 * p0, ctx[0], 1e-5);
    assertEquals(10 * (1 - p0), ctx[1], 1e-5);
  }

  /** Scores + float32.min on padded keys, softmax over all keys: what HF computes on a padded batch. */
  private static float[] maskedReference(
      float[] q, float[] k, float[] v, int real, int padded, int d, int heads) {
    int hd = d / heads;
    float scaling = Attention.scaling(d, heads);
    float[] ctx = new float[d];
    for (int h = 0; h < heads; h++) {
      float[] sc = new float[padded];
      for (int j = 0; j < padded; j++) {
        sc[j] = ScalarOps.dot(q, h * hd, k, j * d + h * hd, hd) * scaling;
        if (j >= real) {
          sc[j] += -Float.MAX_VALUE;
        }
      }
      ScalarOps.softmax(sc, 0, padded);
      for (int j = 0; j < padded; j++) {
        ScalarOps.axpy(sc[j], v, j * d + h * hd, ctx, h * hd, hd);
      }
    }
    return ctx;
  }

  @Test
  void skippingPaddedKeysEqualsTheFloat32MinMask() {
    SplittableRandom r = new SplittableRandom(5);
    int d = 12;
    int heads = 3;
    int real = 4;
    int padded = 7;
    float[] q = new float[d];
    float[] k = new float[padded * d];
    float[] v = new float[padded * d];
    for (float[] a : new float[][] {q, k, v}) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) (r.nextGaussian() * 3);
      }
    }
    float[] want = maskedReference(q, k, v, real, padded, d, heads);
    float[] got = new float[d];
    // the production path: only the real keys
    float[] scratch = new float[padded];
    int hd = d / heads;
    float scaling = Attention.scaling(d, heads);
    for (int h = 0; h < heads; h++) {
      for (int j = 0; j < real; j++) {
        scratch[j] = ScalarOps.dot(q, h * hd, k, j * d + h * hd, hd) * scaling;
      }
      ScalarOps.softmax(scratch, 0, real);
      for (int j = 0; j < real; j++) {
        ScalarOps.axpy(scratch[j], v, j * d + h * hd, got, h * hd, hd);
      }
    }
    assertArrayEquals(want, got, "padded keys contribute exactly nothing");
    float[] prod = new float[d];
    // keys transposed with a padded stride, as in the cross-attention memory
    int stride = FloatOps.PAD;
    scratch = new float[heads * stride];
    float[] kt = new float[d * stride];
    Attention.transpose(k, 0, real, d, kt, 0, stride);
    Attention.attend(
        q, 0, new float[][] {kt}, 0, stride, new float[][] {v}, 0, stride, real, d, heads, scaling, prod, 0, scratch,
        stride);
    assertArrayEquals(want, prod, 1e-5f);
  }
}
