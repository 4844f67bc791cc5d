package dev.jnmt.decoder.model;

import dev.jnmt.intgemm.FloatEpilogue;
import dev.jnmt.intgemm.FloatGemm;
import dev.jnmt.intgemm.FloatPreparedB;

/**
 * Float32 dense layer on intgemm4j's {@link FloatGemm}: the [out × in] weight is packed once
 * ({@link FloatGemm#prepareBTransposed}), and each forward is one multiply with the bias fused into the
 * epilogue. FloatGemm sums every output in input order with one fused multiply-add per term, so a row's
 * result does not depend on the other rows, and every vector width gives the same bits.
 */
public final class Float32Dense implements Dense {

  private final FloatPreparedB weight;
  private final float[] bias;
  private final int out;
  private final int in;

  Float32Dense(float[] weight, int out, int in, float[] bias) {
    if (out <= 0 || in <= 0) {
      throw new IllegalArgumentException("dense layer shape [" + out + ", " + in + "] is empty");
    }
    if (weight.length != (long) out * in) {
      throw new IllegalArgumentException(
          "dense weight has " + weight.length + " values, expected " + out + "×" + in);
    }
    if (bias != null && bias.length != out) {
      throw new IllegalArgumentException("dense bias has " + bias.length + " values, expected " + out);
    }
    this.weight = FloatGemm.prepareBTransposed(weight, in, out);
    this.bias = bias;
    this.out = out;
    this.in = in;
  }

  private Float32Dense(FloatPreparedB weight, float[] bias) {
    this.weight = weight;
    this.bias = bias;
    this.out = weight.cols();
    this.in = weight.rows();
  }

  /** The packed weight, B = Wᵀ [in × out] (a tied embedding reads its rows from it). */
  FloatPreparedB packedWeight() {
    return weight;
  }

  @Override
  public int inFeatures() {
    return in;
  }

  @Override
  public int outFeatures() {
    return out;
  }

  @Override
  public GemmPrecision precision() {
    return GemmPrecision.FLOAT32;
  }

  @Override
  public void forward(float[] x, int rows, float[] y) {
    FloatEpilogue epilogue =
        bias == null ? new FloatEpilogue.Write(y) : new FloatEpilogue.AddBias(bias, y);
    FloatGemm.multiply(x, rows, weight, epilogue);
  }

  @Override
  public Dense select(int[] columns) {
    Dense.checkColumns(columns, out);
    return new Float32Dense(FloatGemm.selectColumnsB(weight, columns), Dense.gather(bias, columns));
  }
}
