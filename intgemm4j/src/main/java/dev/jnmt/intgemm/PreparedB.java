package dev.jnmt.intgemm;

/**
 * Quantized weights (the B operand, {@code rows x cols} = K x N) rearranged for the kernels. Immutable and safe
 * to share between threads.
 *
 * <p>Layout (layout version {@value #LAYOUT_VERSION}), identical for every vector width and CPU and never
 * persisted (the on-disk form is the quantized transpose, see {@code prepareBQuantizedTransposed}): column
 * {@code n} occupies {@code K} consecutive elements starting at {@code n * K}. For 8-bit B, inside each chunk
 * of 32 k-values the 16 even k come first and the 16 odd k follow, so each intgemm pair (k, k+1) sits at the same
 * position of two 16-element halves. For 16-bit B the column holds its K values in natural order.
 */
public final class PreparedB {
  /** Version of the in-memory layout described above. */
  public static final int LAYOUT_VERSION = 1;

  private final Precision precision;
  private final int rows;
  private final int cols;
  /** 8-bit data (precision INT8), or null. */
  final byte[] bytes;
  /** 16-bit data (precision INT16), or null. */
  final short[] shorts;

  PreparedB(int rows, int cols, byte[] bytes) {
    this.precision = Precision.INT8;
    this.rows = rows;
    this.cols = cols;
    this.bytes = bytes;
    this.shorts = null;
  }

  PreparedB(int rows, int cols, short[] shorts) {
    this.precision = Precision.INT16;
    this.rows = rows;
    this.cols = cols;
    this.bytes = null;
    this.shorts = shorts;
  }

  /** {@link Precision#INT8} (used by both Int8 and Int8Shift) or {@link Precision#INT16}. */
  public Precision precision() {
    return precision;
  }

  /** K, the inner dimension. */
  public int rows() {
    return rows;
  }

  /** N, the number of output columns. */
  public int cols() {
    return cols;
  }

  /** The quantized value of B at (k, n). */
  public int quantized(int k, int n) {
    if (k < 0 || k >= rows || n < 0 || n >= cols) {
      throw new IndexOutOfBoundsException("(" + k + ", " + n + ") outside " + rows + "x" + cols);
    }
    if (precision == Precision.INT16) {
      return shorts[n * rows + k];
    }
    return bytes[n * rows + PreparedA.splitIndex(k)];
  }

  /**
   * The quantized transpose of an 8-bit B (N x K row-major): the CPU-independent form to store on disk, which
   * {@code Int8.prepareBQuantizedTransposed} turns back into an equal {@code PreparedB}.
   */
  public byte[] quantizedTransposedBytes() {
    if (precision != Precision.INT8) {
      throw new IllegalStateException(this + " is not 8-bit");
    }
    byte[] out = new byte[bytes.length];
    for (int n = 0; n < cols; n++) {
      int base = n * rows;
      for (int k = 0; k < rows; k++) {
        out[base + k] = bytes[base + PreparedA.splitIndex(k)];
      }
    }
    return out;
  }

  /** The quantized transpose of a 16-bit B (N x K row-major), the form {@code Int16} stores on disk. */
  public short[] quantizedTransposedShorts() {
    if (precision != Precision.INT16) {
      throw new IllegalStateException(this + " is not 16-bit");
    }
    return shorts.clone();
  }

  /** True when both hold the same precision, shape and values. */
  @Override
  public boolean equals(Object o) {
    return o instanceof PreparedB p
        && p.precision == precision
        && p.rows == rows
        && p.cols == cols
        && java.util.Arrays.equals(p.bytes, bytes)
        && java.util.Arrays.equals(p.shorts, shorts);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * rows + cols)
        + (bytes != null ? java.util.Arrays.hashCode(bytes) : java.util.Arrays.hashCode(shorts));
  }

  @Override
  public String toString() {
    return "PreparedB[" + precision + ", " + rows + "x" + cols + "]";
  }
}
