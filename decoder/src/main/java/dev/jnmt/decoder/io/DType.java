package dev.jnmt.decoder.io;

import java.util.Locale;
import java.util.Optional;

/**
 * The element types of the safetensors format, with their sizes in bits. Sub-byte types (F4, F6_*) are
 * packed; a tensor of them must fill whole bytes.
 */
public enum DType {
  BOOL(8),
  U8(8),
  I8(8),
  I16(16),
  U16(16),
  F16(16),
  BF16(16),
  I32(32),
  U32(32),
  F32(32),
  F64(64),
  I64(64),
  U64(64),
  C64(64),
  F8_E4M3(8),
  F8_E5M2(8),
  F8_E8M0(8),
  F8_E4M3FNUZ(8),
  F8_E5M2FNUZ(8),
  F4(4),
  F6_E2M3(6),
  F6_E3M2(6);

  private final int bits;

  DType(int bits) {
    this.bits = bits;
  }

  /** Bits per element. */
  public int bits() {
    return bits;
  }

  /** Bytes per element, rounded up for the packed sub-byte types. */
  public int byteSize() {
    return (bits + 7) / 8;
  }

  /** Whether {@link SafetensorsFile#floats} converts this type to float32. */
  public boolean isConvertibleToFloat() {
    return this == F32 || this == F16 || this == BF16 || this == F64;
  }

  /**
   * Bytes needed for {@code elements} values.
   *
   * @throws ArithmeticException on overflow, IllegalArgumentException when packed bits do not fill whole bytes
   */
  public long bytesFor(long elements) {
    long totalBits = Math.multiplyExact(elements, (long) bits);
    if (totalBits % 8 != 0) {
      throw new IllegalArgumentException(
          elements + " elements of " + this + " are not a whole number of bytes");
    }
    return totalBits / 8;
  }

  /** The type with this safetensors name (upper case, as written in headers). */
  public static Optional<DType> parse(String name) {
    if (name == null || !name.equals(name.toUpperCase(Locale.ROOT))) {
      return Optional.empty();
    }
    try {
      return Optional.of(valueOf(name));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
