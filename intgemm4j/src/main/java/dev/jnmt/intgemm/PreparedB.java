package dev.jnmt.intgemm;

/**
 * Quantized weights (the B operand, {@code rows x cols} = K x N) rearranged for the kernels. Immutable and safe
 * to share between threads.
 *
 * <p>Layout (layout version {@value #LAYOUT_VERSION}), identical for every vector width and CPU and never
 * persisted (the on-disk form is the quantized transpose, see {@code prepareBQuantizedTransposed}):
 *
 * <ul>
 *   <li>8-bit: columns in groups of 4; a group occupies {@code 4 * K} consecutive bytes, made of one 128-byte
 *       row per chunk of 32 k-values, holding the chunk of column 0, 1, 2 and 3 of the group in turn. Inside a
 *       column's 32-byte chunk the 16 even k come first and the 16 odd k follow, so each intgemm pair (k, k+1)
 *       sits at the same position of two 16-byte halves. Element (k, n) is at {@link #index8(int, int, int)}.
 *       Interleaving the group's columns makes a kernel that walks 4 (or 2) columns read one sequential
 *       stream, which the hardware prefetcher follows: with one stream per column the memory-bound 1 x 512 x
 *       32000 product ran 2.5x slower.
 *   <li>16-bit: the same 4-column groups with chunks of 8 k-values in natural order: one 64-byte row per chunk
 *       holds the chunk of column 0, 1, 2 and 3 of the group. Element (k, n) is at
 *       {@link #index16(int, int, int)}.
 * </ul>
 */
public final class PreparedB {
  /** Version of the in-memory layout described above. */
  public static final int LAYOUT_VERSION = 2;

  private final Precision precision;
  private final int rows;
  private final int cols;
  /** 8-bit data (precision INT8), or null. */
  final byte[] bytes;
  /** 16-bit data (precision INT16), or null. */
  final short[] shorts;

  /** Columns per interleaved group of an 8-bit B. */
  static final int GROUP = 4;

  /** Index of element (k, n) of an 8-bit prepared B with inner dimension {@code rows}. */
  static int index8(int k, int n, int rows) {
    return column8(n, rows) + 4 * (k & ~31) + PreparedA.splitIndex(k & 31);
  }

  /**
   * Start of column {@code n}'s first chunk in an 8-bit prepared B; chunk {@code x / 32} of the column starts at
   * {@code column8(n, rows) + 4 * x}.
   */
  static int column8(int n, int rows) {
    return (n >> 2) * GROUP * rows + (n & 3) * 32;
  }

  /** Index of element (k, n) of a 16-bit prepared B with inner dimension {@code rows}. */
  static int index16(int k, int n, int rows) {
    return column16(n, rows) + 4 * (k & ~7) + (k & 7);
  }

  /** Start of column {@code n}'s first 8-value chunk; chunk {@code x / 8} starts {@code 4 * x} further. */
  static int column16(int n, int rows) {
    return (n >> 2) * GROUP * rows + (n & 3) * 8;
  }

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
      return shorts[index16(k, n, rows)];
    }
    return bytes[index8(k, n, rows)];
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
      for (int k = 0; k < rows; k++) {
        out[n * rows + k] = bytes[index8(k, n, rows)];
      }
    }
    return out;
  }

  /** The quantized transpose of a 16-bit B (N x K row-major), the form {@code Int16} stores on disk. */
  public short[] quantizedTransposedShorts() {
    if (precision != Precision.INT16) {
      throw new IllegalStateException(this + " is not 16-bit");
    }
    short[] out = new short[shorts.length];
    for (int n = 0; n < cols; n++) {
      for (int k = 0; k < rows; k++) {
        out[n * rows + k] = shorts[index16(k, n, rows)];
      }
    }
    return out;
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
