package dev.jnmt.intgemm;

import java.util.Objects;

/**
 * A row-major float matrix view [rows × cols] over {@code data}: element (i, j) is
 * {@code data[offset + i·stride + j]}. Views with {@code stride > cols} select a column range, for example
 * one attention head's slice {@code [len × dHead]} of a {@code [len × dModel]} projection.
 *
 * @param data the backing array
 * @param offset index of element (0, 0)
 * @param rows number of rows, ≥ 0
 * @param cols number of columns, ≥ 0
 * @param stride distance between the starts of consecutive rows, ≥ cols
 */
public record FloatMatrix(float[] data, int offset, int rows, int cols, int stride) {
  public FloatMatrix {
    Objects.requireNonNull(data, "data");
    if (rows < 0 || cols < 0 || offset < 0 || stride < cols) {
      throw new IllegalArgumentException(
          "bad matrix view: offset " + offset + ", " + rows + " × " + cols + ", stride " + stride);
    }
    if (rows > 0 && cols > 0 && offset + (long) (rows - 1) * stride + cols > data.length) {
      throw new IllegalArgumentException(
          "matrix view [" + rows + " × " + cols + "] at offset " + offset + " with stride " + stride
              + " needs " + (offset + (long) (rows - 1) * stride + cols) + " floats but the array has "
              + data.length);
    }
  }

  /** A dense view [rows × cols] at offset 0. */
  public static FloatMatrix of(float[] data, int rows, int cols) {
    return new FloatMatrix(data, 0, rows, cols, cols);
  }

  /** Element (i, j). */
  public float get(int i, int j) {
    Objects.checkIndex(i, rows);
    Objects.checkIndex(j, cols);
    return data[offset + i * stride + j];
  }
}
