package dev.jnmt.intgemm;

import java.util.Objects;

/**
 * What {@link FloatGemm#multiply} does with each finished block of C = A·B before storing it: the float32
 * counterpart of intgemm's callbacks, fused into the kernel so C is written once.
 *
 * <p>The output {@code c} is [aRows × bCols] row-major, starting at index 0; it must not overlap A. A bias has
 * {@code bCols} entries (one per output column, as in a Linear layer). ReLU is {@code x > 0 ? x : 0} applied
 * after the bias, as in the integer {@code Epilogue}s and intgemm ({@code _mm256_max_ps(x, 0)}): NaN and -0.0
 * become +0.0.
 */
public sealed interface FloatEpilogue {

  /** The output array every variant writes. */
  float[] c();

  /** C = A·B. */
  record Write(float[] c) implements FloatEpilogue {
    public Write {
      Objects.requireNonNull(c, "c");
    }
  }

  /** C = max(A·B, 0). */
  record Relu(float[] c) implements FloatEpilogue {
    public Relu {
      Objects.requireNonNull(c, "c");
    }
  }

  /** C = A·B + bias (bias broadcast over rows). */
  record AddBias(float[] bias, float[] c) implements FloatEpilogue {
    public AddBias {
      Objects.requireNonNull(bias, "bias");
      Objects.requireNonNull(c, "c");
    }
  }

  /** C = max(A·B + bias, 0). */
  record AddBiasRelu(float[] bias, float[] c) implements FloatEpilogue {
    public AddBiasRelu {
      Objects.requireNonNull(bias, "bias");
      Objects.requireNonNull(c, "c");
    }
  }
}
