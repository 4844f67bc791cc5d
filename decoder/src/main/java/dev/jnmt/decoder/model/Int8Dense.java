package dev.jnmt.decoder.model;

import dev.jnmt.intgemm.Epilogue;
import dev.jnmt.intgemm.Int8;
import dev.jnmt.intgemm.PreparedA;
import dev.jnmt.intgemm.PreparedB;

/**
 * {@link GemmPrecision#INT8}: intgemm's signed 8-bit path (activations and weights in [-127, 127]; the
 * 16-bit saturating accumulation of {@link Int8} applies). Scaling rules: {@link QuantizedDense}.
 */
public final class Int8Dense extends QuantizedDense {

  private final float[] staticBias;

  Int8Dense(PreparedB weight, int out, int in, float[] bias, float weightQuantMult, float activationQuantMult) {
    super(weight, out, in, bias, weightQuantMult, activationQuantMult);
    this.staticBias = hasStaticActivations() ? paddedBias() : null;
  }

  @Override
  public GemmPrecision precision() {
    return GemmPrecision.INT8;
  }

  @Override
  float rowRange() {
    return 127f;
  }

  @Override
  void prepareA(float[] a, float quantMult, int rows, int cols, PreparedA out) {
    Int8.prepareA(a, 0, quantMult, rows, cols, out);
  }

  @Override
  void multiply(PreparedA a, Epilogue epilogue) {
    Int8.multiply(a, weight, epilogue);
  }

  @Override
  float[] staticBias() {
    return staticBias;
  }

  @Override
  QuantizedDense selected(PreparedB weight, int out, float[] bias) {
    return new Int8Dense(weight, out, in, bias, weightQuantMult, activationQuantMult);
  }
}
