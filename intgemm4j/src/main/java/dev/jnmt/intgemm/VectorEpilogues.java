package dev.jnmt.intgemm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector form of the float epilogue pass ({@link Epilogues#finish}), applied to outputs that hold
 * {@code (float) sum}; the scalar loops in {@link Epilogues} are its twins. Plain multiply then add (never FMA), and
 * ReLU as {@code x > 0 ? x : 0} via a compare and blend, so NaN and -0.0 become +0.0 as in the scalar code. No
 * helper methods take or return vectors (a helper C2 does not inline boxes them).
 */
final class VectorEpilogues {
  private VectorEpilogues() {}

  /**
   * The float width of the process's other float kernels (512 bits where the CPU has it): a process that mixes
   * two {@code FloatVector} classes makes the Vector API's shared call sites polymorphic, and C2 then boxes
   * vectors in the decoder's kernels too (BENCHMARKS.md, "int8 allocates in the steady state").
   */
  static final VectorSpecies<Float> F = VectorQuantize.F;

  static void scale(float[] x, int offset, int n, float mult) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += F.length()) {
      FloatVector.fromArray(F, x, offset + i).mul(mult).intoArray(x, offset + i);
    }
    for (; i < n; i++) {
      x[offset + i] = x[offset + i] * mult;
    }
  }

  static void scaleRelu(float[] x, int offset, int n, float mult) {
    int i = 0;
    FloatVector zero = FloatVector.zero(F);
    for (int bound = F.loopBound(n); i < bound; i += F.length()) {
      FloatVector v = FloatVector.fromArray(F, x, offset + i).mul(mult);
      zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(x, offset + i);
    }
    for (; i < n; i++) {
      x[offset + i] = Epilogues.relu(x[offset + i] * mult);
    }
  }

  static void scaleBias(float[] x, int offset, float[] bias, int biasOffset, int n, float mult) {
    int i = 0;
    for (int bound = F.loopBound(n); i < bound; i += F.length()) {
      FloatVector.fromArray(F, x, offset + i)
          .mul(mult)
          .add(FloatVector.fromArray(F, bias, biasOffset + i))
          .intoArray(x, offset + i);
    }
    for (; i < n; i++) {
      x[offset + i] = x[offset + i] * mult + bias[biasOffset + i];
    }
  }

  static void scaleBiasRelu(float[] x, int offset, float[] bias, int biasOffset, int n, float mult) {
    int i = 0;
    FloatVector zero = FloatVector.zero(F);
    for (int bound = F.loopBound(n); i < bound; i += F.length()) {
      FloatVector v =
          FloatVector.fromArray(F, x, offset + i).mul(mult).add(FloatVector.fromArray(F, bias, biasOffset + i));
      zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(x, offset + i);
    }
    for (; i < n; i++) {
      x[offset + i] = Epilogues.relu(x[offset + i] * mult + bias[biasOffset + i]);
    }
  }
}
