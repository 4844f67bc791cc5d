package dev.jnmt.decoder.model;

import dev.jnmt.intgemm.Epilogue;
import dev.jnmt.intgemm.Int16;
import dev.jnmt.intgemm.PreparedA;
import dev.jnmt.intgemm.PreparedB;

/**
 * {@link GemmPrecision#INT16}: intgemm's 16-bit path. Rows are always scaled dynamically, to the largest
 * range for which {@code K·max|A_q|·max|B_q|} stays below 2^31, so the wrapping 32-bit sums of {@link
 * Int16} never wrap (see {@link QuantizedDense}).
 */
public final class Int16Dense extends QuantizedDense {

  private final float activationRange;

  Int16Dense(PreparedB weight, int out, int in, float[] bias, float weightQuantMult, float activationRange) {
    super(weight, out, in, bias, weightQuantMult, Float.NaN);
    this.activationRange = activationRange;
  }

  @Override
  public GemmPrecision precision() {
    return GemmPrecision.INT16;
  }

  @Override
  float rowRange() {
    return activationRange;
  }

  @Override
  void prepareA(float[] a, float quantMult, int rows, int cols, PreparedA out) {
    Int16.prepareA(a, 0, quantMult, rows, cols, out);
  }

  @Override
  void multiply(PreparedA a, Epilogue epilogue) {
    Int16.multiply(a, weight, epilogue);
  }

  @Override
  QuantizedDense selected(PreparedB weight, int out, float[] bias) {
    return new Int16Dense(weight, out, in, bias, weightQuantMult, activationRange);
  }
}
