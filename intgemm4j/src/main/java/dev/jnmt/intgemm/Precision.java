package dev.jnmt.intgemm;

/**
 * The integer format of a prepared operand.
 *
 * <p>A prepared A records the exact path it was quantized for, because Int8 and Int8Shift activations hold
 * different values (Int8Shift stores {@code a + 127}). A prepared B is either {@link #INT16} or {@link #INT8};
 * the same 8-bit prepared B serves {@link Int8} and {@link Int8Shift}, as in intgemm.
 */
public enum Precision {
  /** 16-bit signed values, 32-bit wrapping accumulation ({@link Int16}). */
  INT16,
  /** 8-bit signed values in [-127, 127] ({@link Int8}; also every 8-bit prepared B). */
  INT8,
  /** 8-bit activations stored as {@code a + 127} in [0, 254] ({@link Int8Shift}). */
  INT8_SHIFT
}
