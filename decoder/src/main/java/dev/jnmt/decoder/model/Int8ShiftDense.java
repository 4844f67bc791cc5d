package dev.jnmt.decoder.model;

import dev.jnmt.intgemm.Epilogue;
import dev.jnmt.intgemm.Int8Shift;
import dev.jnmt.intgemm.PreparedA;
import dev.jnmt.intgemm.PreparedB;

/**
 * {@link GemmPrecision#INT8_SHIFT}: intgemm's shifted 8-bit path (activations {@code a + 127} unsigned,
 * weights signed; saturating pair sums as in {@link Int8Shift}). With a static activation multiplier the
 * {@code -127·colsum(B)} correction is folded into the bias once at construction ({@code PrepareBias});
 * with dynamic rows it is subtracted from each row's sums (see {@link QuantizedDense}).
 */
public final class Int8ShiftDense extends QuantizedDense {

  private final float[] staticBias;
  private final float[] correction;

  Int8ShiftDense(
      PreparedB weight, int out, int in, float[] bias, float weightQuantMult, float activationQuantMult) {
    super(weight, out, in, bias, weightQuantMult, activationQuantMult);
    if (hasStaticActivations()) {
      this.staticBias = Int8Shift.prepareBias(weight, activationQuantMult, weightQuantMult, paddedBias());
      this.correction = null;
    } else {
      int[] sums = new int[weight.cols()];
      Int8Shift.prepareBias(weight, new Epilogue.WriteInt32(sums));
      float[] correction = new float[sums.length];
      for (int n = 0; n < sums.length; n++) {
        correction[n] = (float) (sums[n] * Int8Shift.SHIFT);
      }
      this.staticBias = null;
      this.correction = correction;
    }
  }

  @Override
  public GemmPrecision precision() {
    return GemmPrecision.INT8_SHIFT;
  }

  @Override
  float rowRange() {
    return 127f;
  }

  @Override
  void prepareA(float[] a, float quantMult, int rows, int cols, PreparedA out) {
    Int8Shift.prepareA(a, 0, quantMult, rows, cols, out);
  }

  @Override
  void multiply(PreparedA a, Epilogue epilogue) {
    Int8Shift.multiply(a, weight, epilogue);
  }

  @Override
  float[] dynamicCorrection() {
    return correction;
  }

  @Override
  float[] staticBias() {
    return staticBias;
  }

  @Override
  QuantizedDense selected(PreparedB weight, int out, float[] bias) {
    return new Int8ShiftDense(weight, out, in, bias, weightQuantMult, activationQuantMult);
  }
}
