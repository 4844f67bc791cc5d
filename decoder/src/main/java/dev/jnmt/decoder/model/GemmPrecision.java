package dev.jnmt.decoder.model;

import java.util.Locale;

/**
 * How the dense layers multiply. Only float32 exists so far; the quantization issue adds constants
 * (Marian's names: int8, int8shift, int16, …) together with their {@link QuantizableDense}
 * implementations.
 */
public enum GemmPrecision {
  /** Plain float32 weights and arithmetic, the Hugging Face reference behaviour. */
  FLOAT32("float32");

  private final String cliName;

  GemmPrecision(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line (Marian's {@code --gemm-precision} spelling). */
  public String cliName() {
    return cliName;
  }

  /**
   * Parses a command-line name.
   *
   * @throws IllegalArgumentException with a one-line message listing the available precisions
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
    throw new IllegalArgumentException(
        "gemm precision '" + name + "' is not available (available: " + known + ")");
  }
}
