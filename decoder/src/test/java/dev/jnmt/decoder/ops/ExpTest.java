package dev.jnmt.decoder.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link Exp} against {@link Math}, and its vector twin against it bit for bit, in interpreted and in compiled
 * code: the point of Exp is that a result does not depend on how warm the JVM is.
 */
class ExpTest {

  private static final float[] SPECIAL = {
    0f, -0f, 1f, -1f, 0.5f, -0.5f, 1e-30f, -1e-30f, Float.MIN_VALUE, 0.34657359f, -0.34657359f, 0.3465736f,
    10f, -10f, 80f, -80f, 87.33654f, -87.33654f, 88.72283f, 88.72284f, 88.8f, 89f, -100f, -103.27893f,
    -103.97208f, -104f, -105f, -150f, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE,
    Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN
  };

  /** Distance in units in the last place of the float result (for results of normal magnitude). */
  private static double ulps(float got, double want) {
    return Math.abs(got - want) / Math.ulp((float) want);
  }

  @Test
  void expIsWithinTwoUlpOfMathExpAndExactAtTheEdges() {
    assertEquals(1f, Exp.exp(0f));
    assertEquals(1f, Exp.exp(-0f));
    assertEquals(Float.POSITIVE_INFINITY, Exp.exp(Float.POSITIVE_INFINITY));
    assertEquals(Float.POSITIVE_INFINITY, Exp.exp(89f));
    assertEquals(0f, Exp.exp(Float.NEGATIVE_INFINITY));
    assertEquals(0f, Exp.exp(-105f));
    assertTrue(Float.isNaN(Exp.exp(Float.NaN)));
    double worst = 0;
    float worstAt = 0;
    // every 2^-10 step from -87 (results still normal) to 88.72 (the largest finite result)
    for (float x = -87f; x <= 88.72f; x += 1f / 1024) {
      double e = ulps(Exp.exp(x), Math.exp(x));
      if (e > worst) {
        worst = e;
        worstAt = x;
      }
    }
    SplittableRandom r = new SplittableRandom(5);
    for (int i = 0; i < 200_000; i++) {
      float x = (float) (r.nextDouble() * 175.7 - 87);
      double e = ulps(Exp.exp(x), Math.exp(x));
      if (e > worst) {
        worst = e;
        worstAt = x;
      }
    }
    assertTrue(worst <= 2, "worst error " + worst + " ulp at " + worstAt);
    // subnormal results: within one subnormal step (2^-149) plus 2 ulp of the leading part
    for (float x = -103.9f; x < -87f; x += 0.01f) {
      assertEquals(Math.exp(x), Exp.exp(x), Float.MIN_VALUE + 2 * Math.ulp((float) Math.exp(x)), "exp(" + x + ")");
    }
  }

  @Test
  void tanhIsWithinTwoTenMillionthsOfMathTanh() {
    assertEquals(0f, Exp.tanh(0f));
    assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(Exp.tanh(-0f)));
    assertEquals(1f, Exp.tanh(Float.POSITIVE_INFINITY));
    assertEquals(-1f, Exp.tanh(Float.NEGATIVE_INFINITY));
    assertTrue(Float.isNaN(Exp.tanh(Float.NaN)));
    for (float x = -20f; x <= 20f; x += 1f / 512) {
      assertEquals(Math.tanh(x), Exp.tanh(x), 2e-7, "tanh(" + x + ")");
    }
  }

  /** Lane-wise exp, tanh and the lane-order sum against the scalar definitions, bit for bit. */
  private static void compareTwins(float[] xs) {
    int l = VectorOps.lanes();
    float[] in = new float[l];
    float[] out = new float[l];
    for (int start = 0; start < xs.length; start += l) {
      for (int j = 0; j < l; j++) {
        in[j] = xs[(start + j) % xs.length];
      }
      FloatVector v = FloatVector.fromArray(VectorOps.S, in, 0);
      VectorOps.exp(v).intoArray(out, 0);
      for (int j = 0; j < l; j++) {
        assertEquals(Float.floatToIntBits(Exp.exp(in[j])), Float.floatToIntBits(out[j]), "exp(" + in[j] + ")");
      }
      VectorOps.tanh(v).intoArray(out, 0);
      for (int j = 0; j < l; j++) {
        assertEquals(Float.floatToIntBits(Exp.tanh(in[j])), Float.floatToIntBits(out[j]), "tanh(" + in[j] + ")");
      }
      // sum adds the 16 logical lanes held in 16 / l vectors (here v each time) in order, from lane 0.
      float want = in[0];
      for (int j = 1; j < VectorOps.LOGICAL_LANES; j++) {
        want += in[j % l];
      }
      assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(VectorOps.sum(v, v, v, v)), "sum from " + start);
    }
  }

  @Test
  void vectorTwinsGiveTheScalarBitsBeforeAndAfterCompilation() {
    SplittableRandom r = new SplittableRandom(9);
    float[] xs = new float[4096];
    for (int i = 0; i < xs.length; i++) {
      xs[i] = i < SPECIAL.length ? SPECIAL[i] : (float) ((r.nextDouble() * 2 - 1) * (i % 3 == 0 ? 100 : 6));
    }
    compareTwins(xs); // first calls: interpreted or C1
    for (int round = 0; round < 40; round++) {
      compareTwins(xs); // by now C2 has compiled exp, tanh and sum
    }
  }
}
