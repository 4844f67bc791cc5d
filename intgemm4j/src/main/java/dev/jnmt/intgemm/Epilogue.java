package dev.jnmt.intgemm;

import java.util.Objects;

/**
 * What {@code multiply} does with each 32-bit integer dot product {@code sum(r, c)}: the equivalent of intgemm's
 * callbacks. Every variant writes row-major into an output of at least {@code M * N} elements, element
 * {@code (r, c)} at index {@code r * N + c}.
 *
 * <p>Float arithmetic is the one intgemm performs on AVX2 (no fused multiply-add): {@code x = (float) sum *
 * unquantMult}, then {@code x + bias[c]} as a separate float add, then ReLU as {@code x > 0 ? x : 0} (which, like
 * {@code _mm256_max_ps(x, 0)}, maps NaN and -0.0 to +0.0).
 *
 * <p>The records hold references to caller-owned arrays; creating one per call is cheap and the only allocation a
 * call needs.
 */
public sealed interface Epilogue {

  /** {@code out[r*N + c] = (float) sum * unquantMult}. */
  record UnquantizeAndWrite(float unquantMult, float[] out) implements Epilogue {
    public UnquantizeAndWrite {
      Objects.requireNonNull(out, "out");
    }
  }

  /** {@code out[r*N + c] = relu((float) sum * unquantMult)}. */
  record UnquantizeAndWriteRelu(float unquantMult, float[] out) implements Epilogue {
    public UnquantizeAndWriteRelu {
      Objects.requireNonNull(out, "out");
    }
  }

  /** {@code out[r*N + c] = (float) sum * unquantMult + bias[c]}; {@code bias} has at least N elements. */
  record UnquantizeAndAddBiasAndWrite(float unquantMult, float[] bias, float[] out) implements Epilogue {
    public UnquantizeAndAddBiasAndWrite {
      Objects.requireNonNull(bias, "bias");
      Objects.requireNonNull(out, "out");
    }
  }

  /** {@code out[r*N + c] = relu((float) sum * unquantMult + bias[c])}. */
  record UnquantizeAndAddBiasAndWriteRelu(float unquantMult, float[] bias, float[] out) implements Epilogue {
    public UnquantizeAndAddBiasAndWriteRelu {
      Objects.requireNonNull(bias, "bias");
      Objects.requireNonNull(out, "out");
    }
  }

  /** {@code out[r*N + c] = sum}: the raw integer result, for tests and diagnostics. */
  record WriteInt32(int[] out) implements Epilogue {
    public WriteInt32 {
      Objects.requireNonNull(out, "out");
    }
  }
}
