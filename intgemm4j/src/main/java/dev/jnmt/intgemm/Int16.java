package dev.jnmt.intgemm;

import java.util.concurrent.Executor;

/**
 * 16-bit signed GEMM with intgemm's {@code Int16} semantics: {@code C = A * B} for A (M x K) and B (K x N)
 * quantized to [-32768, 32767].
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Shapes.</b> K must be a positive multiple of {@value #K_MULTIPLE}, N a multiple of {@value
 *       #N_MULTIPLE}, M anything (0 included); violations throw {@link IllegalArgumentException} naming the
 *       shape and the rule.
 *   <li><b>Quantization:</b> {@code q = x * quantMult} as a float multiply, rounded half to even, saturated to
 *       [-32768, 32767]; NaN, +Inf and any {@code q >= 2^31} become <b>-32768</b> (x86 {@code cvtps2dq}), -Inf
 *       becomes -32768. The usual multiplier is 1024 (or {@code 1024 / maxAbs} scaled to the data).
 *   <li><b>Overflow:</b> products and sums are 32-bit and <b>wrap around</b> silently (as {@code vpmaddwd} +
 *       {@code vpaddd}); there is no saturation. Keep {@code K * max|a| * max|b| < 2^31}: at quantMult 1024 on
 *       data in [-1, 1] that is K below 2048.
 *   <li><b>Layouts, persistence, epilogues, threads and allocation</b> as in {@link Int8}: the on-disk form is the
 *       quantized transpose (N x K shorts, {@link PreparedB#quantizedTransposedShorts()}).
 * </ul>
 */
public final class Int16 {
  private Int16() {}

  /** K must be a multiple of this. */
  public static final int K_MULTIPLE = 32;
  /** N must be a multiple of this. */
  public static final int N_MULTIPLE = 8;

  /** Largest absolute value of {@code x} (NaN if any element is NaN). */
  public static float maxAbsolute(float[] x) {
    return Int8.maxAbsolute(x);
  }

  /** Largest absolute value of {@code x[from..to)}. */
  public static float maxAbsolute(float[] x, int from, int to) {
    return Int8.maxAbsolute(x, from, to);
  }

  /** {@code 1 / (quantMultA * quantMultB)}. */
  public static float unquantMult(float quantMultA, float quantMultB) {
    return Int8.unquantMult(quantMultA, quantMultB);
  }

  /**
   * Quantizes {@code count} floats to [-32768, 32767].
   * Meant for weights: calls over 65,536 values or more run a scalar loop (the same bits), which is fast
   * from the first call, where the vector loop is slow until the JIT has compiled it.
   */
  public static void quantize(float[] in, int inOffset, short[] out, int outOffset, int count, float quantMult) {
    Checks.length("Int16.quantize", "input", in.length, inOffset, count);
    Checks.length("Int16.quantize", "output", out.length, outOffset, count);
    Kernels.quantize16(in, inOffset, out, outOffset, count, quantMult);
  }

  /** Quantizes A ({@code rows x cols} row-major) into a new {@link PreparedA}. */
  public static PreparedA prepareA(float[] a, float quantMult, int rows, int cols) {
    PreparedA out = PreparedA.allocate(Precision.INT16, rows, cols);
    prepareA(a, 0, quantMult, rows, cols, out);
    return out;
  }

  /** Allocation-free prepareA into a buffer from {@code PreparedA.allocate(Precision.INT16, ...)}. */
  public static void prepareA(float[] a, int offset, float quantMult, int rows, int cols, PreparedA out) {
    String op = "Int16.prepareA";
    Checks.precision(op, out, Precision.INT16);
    long n = Checks.product(op, "A", rows, cols);
    Checks.inner(op, "A", rows, cols, cols, K_MULTIPLE);
    Checks.length(op, "A", a.length, offset, n);
    out.reshape(op, rows, cols);
    Kernels.prepareA16(a, offset, quantMult, (int) n, out.ints);
  }

  /** Quantizes and rearranges B given row-major ({@code rows = K} x {@code cols = N}). */
  public static PreparedB prepareB(float[] b, float quantMult, int rows, int cols) {
    String op = "Int16.prepareB";
    checkB(op, rows, cols);
    Checks.length(op, "B", b.length, 0, (long) rows * cols);
    short[] out = new short[rows * cols];
    for (int k = 0; k < rows; k++) {
      for (int n = 0; n < cols; n++) {
        out[PreparedB.index16(k, n, rows)] = (short) ScalarQuantize.quantize16(b[k * cols + n], quantMult);
      }
    }
    return new PreparedB(rows, cols, out);
  }

  /** Same result as {@link #prepareB} from B's transpose ({@code cols x rows} = N x K row-major). */
  public static PreparedB prepareBTransposed(float[] bt, float quantMult, int rows, int cols) {
    String op = "Int16.prepareBTransposed";
    checkB(op, rows, cols);
    Checks.length(op, "B^T", bt.length, 0, (long) rows * cols);
    short[] q = new short[rows * cols];
    Kernels.quantize16(bt, 0, q, 0, rows * cols, quantMult);
    return prepareBQuantizedTransposed(q, 0, rows, cols);
  }

  /** {@link #prepareBQuantizedTransposed(short[], int, int, int)} from offset 0. */
  public static PreparedB prepareBQuantizedTransposed(short[] bt, int rows, int cols) {
    return prepareBQuantizedTransposed(bt, 0, rows, cols);
  }

  /** Rearranges an already-quantized transpose of B (N x K shorts from {@code offset}), the on-disk form. */
  public static PreparedB prepareBQuantizedTransposed(short[] bt, int offset, int rows, int cols) {
    String op = "Int16.prepareBQuantizedTransposed";
    checkB(op, rows, cols);
    Checks.length(op, "B^T", bt.length, offset, (long) rows * cols);
    short[] out = new short[rows * cols];
    for (int n = 0; n < cols; n++) {
      for (int k = 0; k < rows; k += 8) {
        System.arraycopy(bt, offset + n * rows + k, out, PreparedB.index16(k, n, rows), 8);
      }
    }
    return new PreparedB(rows, cols, out);
  }

  /** {@link #selectColumnsB(PreparedB, int[], int, int)} over the whole list. */
  public static PreparedB selectColumnsB(PreparedB b, int[] columns) {
    return selectColumnsB(b, columns, 0, columns.length);
  }

  /** Columns {@code columns[from..to)} of {@code b} in list order (repeats allowed; count % 8 == 0). */
  public static PreparedB selectColumnsB(PreparedB b, int[] columns, int from, int to) {
    String op = "Int16.selectColumnsB";
    Checks.precision(op, b, Precision.INT16);
    java.util.Objects.checkFromToIndex(from, to, columns.length);
    int count = to - from;
    Checks.columns(op, "the selection", b.rows(), count, count);
    int k = b.rows();
    short[] out = new short[k * count];
    for (int i = 0; i < count; i++) {
      int c = columns[from + i];
      if (c < 0 || c >= b.cols()) {
        throw new IllegalArgumentException(
            op + ": column " + c + " at list position " + (from + i) + " is outside B's " + b.cols()
                + " columns");
      }
      int src = PreparedB.column16(c, k);
      int dst = PreparedB.column16(i, k);
      for (int x = 0; x < k; x += 8) {
        System.arraycopy(b.shorts, src + 4 * x, out, dst + 4 * x, 8);
      }
    }
    return new PreparedB(k, count, out);
  }

  /** Int16 needs no bias correction: a copy of {@code bias} (zeros when null). */
  public static float[] prepareBias(PreparedB b, float quantMultA, float quantMultB, float[] bias) {
    Checks.precision("Int16.prepareBias", b, Precision.INT16);
    return Int8.copyBias("Int16.prepareBias", bias, b.cols());
  }

  /** C = A * B through {@code epilogue}; allocates nothing. */
  public static void multiply(PreparedA a, PreparedB b, Epilogue epilogue) {
    check("Int16.multiply", a, b, epilogue);
    Kernels.multiply16(a, b, epilogue, 0, b.cols());
  }

  /** Parallel multiply over blocks of whole 8-column groups. */
  public static void multiply(
      PreparedA a, PreparedB b, Epilogue epilogue, Executor executor, int parallelism) {
    check("Int16.multiply", a, b, epilogue);
    Parallel.columns(b.cols(), executor, parallelism, (c0, c1) -> Kernels.multiply16(a, b, epilogue, c0, c1));
  }

  private static void check(String op, PreparedA a, PreparedB b, Epilogue e) {
    Checks.precision(op, a, Precision.INT16);
    Checks.precision(op, b, Precision.INT16);
    Checks.multiply(op, a, b);
    Epilogues.check(op, e, a.rows(), b.cols());
  }

  private static void checkB(String op, int rows, int cols) {
    Checks.product(op, "B", rows, cols);
    Checks.inner(op, "B", rows, cols, rows, K_MULTIPLE);
    Checks.columns(op, "B", rows, cols, cols);
  }
}
