package dev.jnmt.intgemm;

/**
 * Quantized activations (the A operand, {@code rows x cols}, where {@code cols} is the inner dimension K), in a
 * layout private to intgemm4j that the kernels read directly.
 *
 * <p>Values are exactly intgemm's {@code PrepareA} output ({@link #quantized(int, int)}); the storage is widened
 * once here so that {@code multiply} never converts A per column: 8-bit values are held as shorts with the even
 * and odd k of every 32-value chunk in separate halves (the two members of an intgemm pair then sit in the same
 * lane of two vectors), 16-bit values as ints in row-major order.
 *
 * <p>A {@code PreparedA} is a reusable scratch buffer: {@link #allocate} reserves capacity, and the
 * allocation-free {@code prepareA(..., PreparedA out)} overloads of {@link Int16}, {@link Int8} and
 * {@link Int8Shift} refill it with any shape that fits. Do not refill it while another thread multiplies with
 * it; concurrent {@code multiply} calls that only read it are safe.
 */
public final class PreparedA {
  private final Precision precision;
  private final int capacity;
  /** 8-bit paths: per row, per 32-chunk: 16 even-k values then 16 odd-k values. */
  final short[] shorts;
  /** 16-bit path: row-major values widened to int. */
  final int[] ints;

  int rows;
  int cols;

  private PreparedA(Precision precision, int capacity) {
    this.precision = precision;
    this.capacity = capacity;
    this.shorts = precision == Precision.INT16 ? null : new short[capacity];
    this.ints = precision == Precision.INT16 ? new int[capacity] : null;
  }

  /**
   * An empty buffer that can hold any {@code rows x cols} activations of the given precision with
   * {@code rows * cols <= capacity}.
   */
  public static PreparedA allocate(Precision precision, int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("PreparedA capacity " + capacity + " must be >= 0");
    }
    return new PreparedA(precision, capacity);
  }

  /** An empty buffer sized for {@code rows x cols}. */
  public static PreparedA allocate(Precision precision, int rows, int cols) {
    long n = (long) rows * cols;
    if (rows < 0 || cols < 0 || n > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("PreparedA shape " + rows + "x" + cols + " is negative or too large");
    }
    return new PreparedA(precision, (int) n);
  }

  /** The path this buffer is quantized for. */
  public Precision precision() {
    return precision;
  }

  /** Number of rows (M) currently held. */
  public int rows() {
    return rows;
  }

  /** Inner dimension (K) currently held. */
  public int cols() {
    return cols;
  }

  /** Maximum {@code rows * cols} this buffer holds. */
  public int capacity() {
    return capacity;
  }

  /**
   * The quantized value at (row, k) exactly as intgemm's {@code PrepareA} would store it: [-127, 127] for Int8,
   * [0, 254] (that is {@code a + 127}) for Int8Shift, [-32768, 32767] for Int16.
   */
  public int quantized(int row, int k) {
    if (row < 0 || row >= rows || k < 0 || k >= cols) {
      throw new IndexOutOfBoundsException("(" + row + ", " + k + ") outside " + rows + "x" + cols);
    }
    if (precision == Precision.INT16) {
      return ints[row * cols + k];
    }
    return shorts[row * cols + splitIndex(k)];
  }

  /** Position of value k inside the even/odd split layout of one row (8-bit paths). */
  static int splitIndex(int k) {
    int inChunk = k & 31;
    return (k & ~31) + (inChunk & 1) * 16 + (inChunk >> 1);
  }

  void reshape(String op, int rows, int cols) {
    long n = (long) rows * cols;
    if (n > capacity) {
      throw new IllegalArgumentException(
          op + ": A is " + rows + "x" + cols + " = " + n + " values but the PreparedA holds at most "
              + capacity);
    }
    this.rows = rows;
    this.cols = cols;
  }
}
