package dev.jnmt.intgemm;

import java.util.concurrent.Executor;

/**
 * 8-bit signed GEMM with intgemm's {@code Int8} semantics: {@code C = A * B} for A (M x K) activations and B
 * (K x N) weights, both quantized to [-127, 127].
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Shapes.</b> K must be a positive multiple of {@value #K_MULTIPLE}, N a multiple of {@value
 *       #N_MULTIPLE}, M anything (0 included). Violations throw {@link IllegalArgumentException} naming the
 *       shape and the rule. No padding is done.
 *   <li><b>Quantization</b> (prepareA, prepareB*, {@link #quantize}): {@code q = x * quantMult} as a float
 *       multiply, rounded half to even, saturated to [-127, 127] (-128 never appears). As on x86, NaN, +Inf and
 *       any {@code q >= 2^31} become <b>-127</b>, and -Inf becomes -127. The usual multiplier is
 *       {@code 127 / maxAbsolute(x)}.
 *   <li><b>Layouts.</b> A and B are given as row-major float arrays; the prepared forms ({@link PreparedA},
 *       {@link PreparedB}) are private layouts that do not depend on the vector width or the CPU. Store B on disk
 *       as the quantized transpose (N x K bytes, see {@link PreparedB#quantizedTransposedBytes()}) and load it
 *       with {@link #prepareBQuantizedTransposed}: that is the only persistent form.
 *   <li><b>Saturation</b> (exactly intgemm's AVX2 kernel, bit for bit at every vector width): with
 *       {@code a_k, b_k} the quantized values of one row and one column, the products of each pair (k, k+1),
 *       k even, are summed exactly; the pair sums whose {@code k mod 32} is {@code 2l} or {@code 2l+1} are
 *       accumulated in one of 16 signed <b>16-bit saturating</b> lanes (l = 0..15), and the result is the
 *       32-bit sum of the 16 lanes. A lane saturates once its running sum leaves [-32768, 32767]. In the worst
 *       case that needs only K > 32 * 32767 / (2 * max|a| * max|b|): K > 32 at full range, K > 128 with
 *       |a|, |b| <= 64. With random data quantized at quantMult 64 it stays exact up to about K = 512 (intgemm's
 *       own tests rely on K = 256); with full-range quantization of both sides it already saturates at K = 256.
 *       Use {@link Int8Shift} (or {@link Int16}) when that matters.
 *   <li><b>Output</b> through an {@link Epilogue}: {@code (float) sum * unquantMult [+ bias] [ReLU]}, with
 *       {@code unquantMult = 1 / (quantMultA * quantMultB)} (see {@link #unquantMult}), or the raw int32 sums.
 *   <li><b>Threads and allocation.</b> {@link PreparedB} is immutable and shareable; {@code multiply} allocates
 *       nothing and may run concurrently on the same A and B. {@link #multiply(PreparedA, PreparedB, Epilogue,
 *       Executor, int)} splits N into blocks of whole 8-column groups (it allocates its small task objects).
 *   <li><b>Speed.</b> The float epilogues take the fast kernels; {@link Epilogue.WriteInt32} is for tests and
 *       diagnostics and takes a slower path. Run the JVM with {@code -XX:TypeProfileLevel=222} (as jnmt's
 *       launcher, tests and benchmarks do): with the default level (111) C2 compiles the 8-bit kernels with
 *       boxed vectors in some JVM runs (about half of them at some shapes), which are then 4-10x slower
 *       (see {@code VectorKernels8}).
 * </ul>
 */
public final class Int8 {
  private Int8() {}

  /** K must be a multiple of this. */
  public static final int K_MULTIPLE = 64;
  /** N must be a multiple of this. */
  public static final int N_MULTIPLE = 8;

  /** Largest absolute value of {@code x} (NaN if any element is NaN). */
  public static float maxAbsolute(float[] x) {
    return maxAbsolute(x, 0, x.length);
  }

  /** Largest absolute value of {@code x[from..to)} (0 when empty, NaN if any element is NaN). */
  public static float maxAbsolute(float[] x, int from, int to) {
    java.util.Objects.checkFromToIndex(from, to, x.length);
    return Kernels.maxAbsolute(x, from, to);
  }

  /** {@code 1 / (quantMultA * quantMultB)}: the factor that turns integer sums back into floats. */
  public static float unquantMult(float quantMultA, float quantMultB) {
    return 1f / (quantMultA * quantMultB);
  }

  /**
   * Quantizes {@code count} floats to [-127, 127] (any count; see the class contract).
   * Meant for weights: calls over 65,536 values or more run a scalar loop (the same bits), which is fast
   * from the first call, where the vector loop is slow until the JIT has compiled it.
   */
  public static void quantize(float[] in, int inOffset, byte[] out, int outOffset, int count, float quantMult) {
    Checks.length("Int8.quantize", "input", in.length, inOffset, count);
    Checks.length("Int8.quantize", "output", out.length, outOffset, count);
    Kernels.quantize8(in, inOffset, out, outOffset, count, quantMult);
  }

  /** Quantizes A ({@code rows x cols} row-major, cols = K) into a new {@link PreparedA}. */
  public static PreparedA prepareA(float[] a, float quantMult, int rows, int cols) {
    PreparedA out = PreparedA.allocate(Precision.INT8, rows, cols);
    prepareA(a, 0, quantMult, rows, cols, out);
    return out;
  }

  /** Allocation-free prepareA: quantizes {@code a[offset ..]} ({@code rows x cols}) into {@code out}. */
  public static void prepareA(float[] a, int offset, float quantMult, int rows, int cols, PreparedA out) {
    prepareA8("Int8.prepareA", a, offset, quantMult, rows, cols, out, Precision.INT8, 0);
  }

  static void prepareA8(
      String op, float[] a, int offset, float quantMult, int rows, int cols, PreparedA out, Precision p,
      int shift) {
    Checks.precision(op, out, p);
    long n = Checks.product(op, "A", rows, cols);
    Checks.inner(op, "A", rows, cols, cols, K_MULTIPLE);
    Checks.length(op, "A", a.length, offset, n);
    out.reshape(op, rows, cols);
    Kernels.prepareA8(a, offset, quantMult, rows, cols, out.shorts, shift);
  }

  /** Quantizes and rearranges B given row-major ({@code rows = K} x {@code cols = N}). */
  public static PreparedB prepareB(float[] b, float quantMult, int rows, int cols) {
    String op = "Int8.prepareB";
    checkB(op, "B", rows, cols);
    Checks.length(op, "B", b.length, 0, (long) rows * cols);
    byte[] out = new byte[rows * cols];
    for (int k = 0; k < rows; k++) {
      for (int n = 0; n < cols; n++) {
        out[PreparedB.index8(k, n, rows)] = (byte) ScalarQuantize.quantize8(b[k * cols + n], quantMult);
      }
    }
    return new PreparedB(rows, cols, out);
  }

  /**
   * Same result as {@link #prepareB} from B's transpose: {@code bt} is {@code cols x rows} row-major (N x K),
   * and {@code rows = K}, {@code cols = N} describe B itself, as in intgemm.
   */
  public static PreparedB prepareBTransposed(float[] bt, float quantMult, int rows, int cols) {
    String op = "Int8.prepareBTransposed";
    checkB(op, "B", rows, cols);
    Checks.length(op, "B^T", bt.length, 0, (long) rows * cols);
    byte[] out = new byte[rows * cols];
    for (int n = 0; n < cols; n++) {
      int base = n * rows;
      for (int k = 0; k < rows; k++) {
        out[PreparedB.index8(k, n, rows)] = (byte) ScalarQuantize.quantize8(bt[base + k], quantMult);
      }
    }
    return new PreparedB(rows, cols, out);
  }

  /** {@link #prepareBQuantizedTransposed(byte[], int, int, int)} from offset 0. */
  public static PreparedB prepareBQuantizedTransposed(byte[] bt, int rows, int cols) {
    return prepareBQuantizedTransposed(bt, 0, rows, cols);
  }

  /**
   * Rearranges an already-quantized transpose of B ({@code cols x rows} = N x K bytes, row-major, starting at
   * {@code offset}), the on-disk form. Values must be in [-127, 127]; -128 is rejected because intgemm never
   * produces it and Int8's sign trick relies on its absence.
   */
  public static PreparedB prepareBQuantizedTransposed(byte[] bt, int offset, int rows, int cols) {
    String op = "Int8.prepareBQuantizedTransposed";
    checkB(op, "B", rows, cols);
    Checks.length(op, "B^T", bt.length, offset, (long) rows * cols);
    byte[] out = new byte[rows * cols];
    for (int n = 0; n < cols; n++) {
      int base = n * rows;
      for (int k = 0; k < rows; k++) {
        byte v = bt[offset + base + k];
        if (v == Byte.MIN_VALUE) {
          throw new IllegalArgumentException(
              op + ": B^T[" + n + "][" + k + "] = -128 is outside the 8-bit range [-127, 127]");
        }
        out[PreparedB.index8(k, n, rows)] = v;
      }
    }
    return new PreparedB(rows, cols, out);
  }

  /** {@link #selectColumnsB(PreparedB, int[], int, int)} over the whole list. */
  public static PreparedB selectColumnsB(PreparedB b, int[] columns) {
    return selectColumnsB(b, columns, 0, columns.length);
  }

  /**
   * A prepared B holding only columns {@code columns[from..to)} of {@code b}, in list order (repeats allowed);
   * the count must be a multiple of 8. Equals preparing the selected float columns directly.
   */
  public static PreparedB selectColumnsB(PreparedB b, int[] columns, int from, int to) {
    String op = "Int8.selectColumnsB";
    Checks.precision(op, b, Precision.INT8);
    java.util.Objects.checkFromToIndex(from, to, columns.length);
    int count = to - from;
    Checks.columns(op, "the selection", b.rows(), count, count);
    int k = b.rows();
    byte[] out = new byte[k * count];
    for (int i = 0; i < count; i++) {
      int c = columns[from + i];
      if (c < 0 || c >= b.cols()) {
        throw new IllegalArgumentException(
            op + ": column " + c + " at list position " + (from + i) + " is outside B's " + b.cols()
                + " columns");
      }
      int src = PreparedB.column8(c, k);
      int dst = PreparedB.column8(i, k);
      for (int x = 0; x < k; x += 32) {
        System.arraycopy(b.bytes, src + 4 * x, out, dst + 4 * x, 32);
      }
    }
    return new PreparedB(k, count, out);
  }

  /**
   * Int8 needs no bias correction: returns a copy of {@code bias} (zeros when null), so callers can treat the
   * three paths alike. See {@link Int8Shift#prepareBias(PreparedB, float, float, float[])}.
   */
  public static float[] prepareBias(PreparedB b, float quantMultA, float quantMultB, float[] bias) {
    Checks.precision("Int8.prepareBias", b, Precision.INT8);
    return copyBias("Int8.prepareBias", bias, b.cols());
  }

  static float[] copyBias(String op, float[] bias, int cols) {
    if (bias == null) {
      return new float[cols];
    }
    Checks.length(op, "bias", bias.length, 0, cols);
    return java.util.Arrays.copyOf(bias, cols);
  }

  /** C = A * B through {@code epilogue}, on the calling thread; allocates nothing. */
  public static void multiply(PreparedA a, PreparedB b, Epilogue epilogue) {
    check("Int8.multiply", a, b, epilogue);
    Kernels.multiply8(a, b, epilogue, 0, b.cols());
  }

  /**
   * C = A * B with the columns split into up to {@code parallelism} blocks (whole 8-column groups); one block
   * runs on the calling thread, the others on {@code executor}. Returns when all are done.
   */
  public static void multiply(
      PreparedA a, PreparedB b, Epilogue epilogue, Executor executor, int parallelism) {
    check("Int8.multiply", a, b, epilogue);
    Parallel.columns(b.cols(), executor, parallelism, (c0, c1) -> Kernels.multiply8(a, b, epilogue, c0, c1));
  }

  private static void check(String op, PreparedA a, PreparedB b, Epilogue e) {
    Checks.precision(op, a, Precision.INT8);
    Checks.precision(op, b, Precision.INT8);
    Checks.multiply(op, a, b);
    Epilogues.check(op, e, a.rows(), b.cols());
  }

  static void checkB(String op, String what, int rows, int cols) {
    Checks.product(op, what, rows, cols);
    Checks.inner(op, what, rows, cols, rows, K_MULTIPLE);
    Checks.columns(op, what, rows, cols, cols);
  }
}
