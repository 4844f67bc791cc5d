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

  private FloatOps() {}

  public static float dot(float[] a, int ao, float[] b, int bo, int n) {
    return VECTOR ? VectorOps.dot(a, ao, b, bo, n) : ScalarOps.dot(a, ao, b, bo, n);
  }

  public static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
    if (VECTOR) {
      VectorOps.axpy(alpha, x, xo, y, yo, n);
    } else {
      ScalarOps.axpy(alpha, x, xo, y, yo, n);
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

  public static float max(float[] x, int o, int n) {
    return VECTOR ? VectorOps.max(x, o, n) : ScalarOps.max(x, o, n);
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
