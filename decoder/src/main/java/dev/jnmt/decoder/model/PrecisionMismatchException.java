package dev.jnmt.decoder.model;

import dev.jnmt.decoder.base.CheckpointException;
import dev.jnmt.decoder.io.QuantFormat;

/**
 * A converted checkpoint's stored weights cannot run with the requested precision (int8 weights with
 * float32 or int16, int16 weights with anything but int16). Typed, so that a front end can name its own
 * option ({@code jnmt translate} says {@code --gemm-precision}).
 */
public final class PrecisionMismatchException extends CheckpointException {
  private static final long serialVersionUID = 1L;

  private final String location;
  private final QuantFormat stored;
  private final GemmPrecision requested;

  PrecisionMismatchException(String location, QuantFormat stored, GemmPrecision requested) {
    super(
        location + ": the weights are stored as " + stored.cliName() + "; they run with precision "
            + allowed(stored) + " (not " + requested.cliName() + "), or convert the float32 model again");
    this.location = location;
    this.stored = stored;
    this.requested = requested;
  }

  /** The precisions the stored weights run with, in words ("int8 or int8shift"). */
  public static String allowed(QuantFormat stored) {
    return stored == QuantFormat.INT8 ? "int8 or int8shift" : stored.cliName();
  }

  /** The checkpoint. */
  public String location() {
    return location;
  }

  /** The checkpoint's format. */
  public QuantFormat stored() {
    return stored;
  }

  /** The precision that was asked for. */
  public GemmPrecision requested() {
    return requested;
  }
}
