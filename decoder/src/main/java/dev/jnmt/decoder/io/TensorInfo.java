package dev.jnmt.decoder.io;

import java.util.Arrays;

/**
 * One entry of a safetensors header.
 *
 * @param name the key in the header, exactly as stored
 * @param dtype element type
 * @param shape dimensions, row-major (the array is owned by this record: do not modify it)
 * @param begin first byte, relative to the start of the data buffer (after the header)
 * @param end one past the last byte, relative to the start of the data buffer
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

  public TensorInfo {
    shape = shape.clone();
  }

  /** A copy of the shape. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Dimension {@code i} of the shape. */
  public long dim(int i) {
    return shape[i];
  }

  public int rank() {
    return shape.length;
  }

  /** Number of elements (1 for a rank-0 scalar). */
  public long elementCount() {
    return elementCount(shape);
  }

  public long byteSize() {
    return end - begin;
  }

  public boolean hasShape(long... expected) {
    return Arrays.equals(shape, expected);
  }

  static long elementCount(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** {@code [2, 3]} style, as used in error messages. */
  public static String shapeString(long[] shape) {
    return Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && begin == t.begin
        && end == t.end;
  }

  @Override
  public int hashCode() {
    return (name.hashCode() * 31 + dtype.hashCode()) * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
  }
}
