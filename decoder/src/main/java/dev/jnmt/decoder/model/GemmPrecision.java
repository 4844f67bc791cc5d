package dev.jnmt.decoder.model;

import dev.jnmt.decoder.base.SettingException;
import dev.jnmt.decoder.base.SettingException.Setting;
import dev.jnmt.decoder.io.QuantFormat;
import dev.jnmt.intgemm.Precision;
import java.util.Locale;
import java.util.Optional;

/**
 * How the dense layers multiply, with Marian's {@code --gemm-precision} names. The integer precisions
 * are intgemm's ({@code dev.jnmt.intgemm}): weights quantized once at load, activations per call (see
 * {@link QuantizedDense} for the scaling rules).
 *
 * <p>The one place that maps checkpoint formats to precisions: {@link #defaultFor} (the precision a
 * format runs with unless asked otherwise), {@link #runs} (which precisions a format's stored weights
 * allow) and {@link #intgemm} (the intgemm4j path of a precision).
 */
public enum GemmPrecision {
  /** Plain float32 weights and arithmetic, the Hugging Face reference behaviour. */
  FLOAT32("float32", null),
  /** 16-bit weights and activations, 32-bit accumulation ({@link Int16Dense}). */
  INT16("int16", Precision.INT16),
  /** 8-bit signed weights and activations, intgemm's saturating Int8 kernel ({@link Int8Dense}). */
  INT8("int8", Precision.INT8),
  /** 8-bit weights, activations shifted to unsigned, bias-corrected ({@link Int8ShiftDense}). */
  INT8_SHIFT("int8shift", Precision.INT8_SHIFT);

  private final String cliName;
  /** Built once: {@link #intgemm} is called by every quantized layer's forward pass. */
  private final Optional<Precision> intgemm;

  GemmPrecision(String cliName, Precision intgemm) {
    this.cliName = cliName;
    this.intgemm = Optional.ofNullable(intgemm);
  }

  /** The name used on the command line (Marian's {@code --gemm-precision} spelling). */
  public String cliName() {
    return cliName;
  }

  /** Whether the weights are stored as integers. */
  public boolean isQuantized() {
    return this != FLOAT32;
  }

  /** Whether the weights are 8-bit (int8 and int8shift share the same weight format). */
  public boolean is8Bit() {
    return this == INT8 || this == INT8_SHIFT;
  }

  /** The precision a checkpoint of this format runs with when none is asked for. */
  public static GemmPrecision defaultFor(QuantFormat format) {
    return switch (format) {
      case INT8 -> INT8;
      case INT16 -> INT16;
      case FLOAT32, ANNOTATED -> FLOAT32;
    };
  }

  /**
   * Whether weights stored in this format can run with this precision: float32 and annotated weights
   * run with any precision (quantized at load), int8 weights with int8 and int8shift, int16 with int16.
   */
  public boolean runs(QuantFormat format) {
    return switch (format) {
      case INT8 -> is8Bit();
      case INT16 -> this == INT16;
      case FLOAT32, ANNOTATED -> true;
    };
  }

  /** The intgemm4j path of a quantized precision; empty for float32 (intgemm4j's {@code FloatGemm}). */
  public Optional<Precision> intgemm() {
    return intgemm;
  }

  /**
   * Parses a name ({@link #cliName()}, any case).
   *
   * @throws SettingException (setting {@link Setting#PRECISION}) listing the available precisions
   */
  public static GemmPrecision fromName(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (GemmPrecision p : values()) {
      if (p.cliName.equals(n)) {
        return p;
      }
    }
    StringBuilder known = new StringBuilder();
    for (GemmPrecision p : values()) {
      known.append(known.isEmpty() ? "" : ", ").append(p.cliName);
    }
    throw new SettingException(Setting.PRECISION, SettingException.NAME + " '" + name + "' is not one of: " + known);
  }
}
