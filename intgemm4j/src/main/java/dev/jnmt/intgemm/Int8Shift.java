package dev.jnmt.intgemm;

import java.util.concurrent.Executor;

/**
 * 8-bit GEMM with intgemm's {@code Int8Shift} semantics: activations are quantized as in {@link Int8} and then
 * shifted by +127 into [0, 254] (unsigned), weights are signed [-127, 127]; the shift is undone by a bias
 * correction that {@link #prepareBias} computes once per weight matrix.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Shapes.</b> K must be a positive multiple of {@value Int8#K_MULTIPLE}, N a multiple of {@value
 *       Int8#N_MULTIPLE}, M anything (0 included); violations throw {@link IllegalArgumentException} naming the
 *       shape and the rule.
 *   <li><b>Quantization</b> of A: exactly {@link Int8}'s value plus 127 (NaN, +Inf and overflow give -127, so
 *       0 after the shift). B uses {@link Int8}'s prepared form: any 8-bit {@link PreparedB} works for both.
 *   <li><b>Saturation</b> (exactly intgemm's AVX2 kernel, bit for bit at every vector width): with {@code au_k
 *       = a_k + 127}, the result is {@code sum over even k of sat16(au_k*b_k + au_{k+1}*b_{k+1})}, where
 *       {@code sat16} clamps each <b>pair sum</b> to [-32768, 32767] (the {@code vpmaddubsw} saturation), and the
 *       pair sums are added in 32 bits. A pair can saturate only when {@code |b_k| + |b_{k+1}| > 129}; with
 *       weights quantized to {@code |b| <= 64} (for example {@code quantMult = 64 / maxAbs}) it never does and
 *       the result is the exact product. The 32-bit sum itself cannot overflow for K below 2^17.
 *   <li><b>Bias.</b> {@code sum(au*b) = sum(a*b) + 127 * colsum(b)}. Fold {@code -127 * colsum(b)} into the bias
 *       once with {@link #prepareBias(PreparedB, float, float, float[])} and multiply with
 *       {@code Epilogue.UnquantizeAndAddBiasAndWrite(unquantMult(qA, qB), preparedBias, out)}: the result is then
 *       {@code A*B + bias} up to rounding (and the pair saturation above). The same prepared bias is valid only
 *       for the {@code quantMultA} it was made with (constant in Marian's precomputed-alpha mode).
 *   <li><b>Threads and allocation</b> as in {@link Int8}: prepared B immutable, {@code multiply} allocation
 *       free, parallel over 8-column groups on request.
 *   <li><b>Speed</b> as in {@link Int8}: run the JVM with {@code -XX:TypeProfileLevel=222}.
 * </ul>
 */
public final class Int8Shift {
  private Int8Shift() {}

  /** The shift added to every quantized activation. */
  public static final int SHIFT = 127;

  /** Same as {@link Int8#maxAbsolute(float[])}. */
  public static float maxAbsolute(float[] x) {
    return Int8.maxAbsolute(x);
  }

  /** Same as {@link Int8#maxAbsolute(float[], int, int)}. */
  public static float maxAbsolute(float[] x, int from, int to) {
    return Int8.maxAbsolute(x, from, to);
  }

  /** {@code 1 / (quantMultA * quantMultB)}. */
  public static float unquantMult(float quantMultA, float quantMultB) {
    return Int8.unquantMult(quantMultA, quantMultB);
  }

  /** Quantizes A ({@code rows x cols} row-major) to {@code a + 127} into a new {@link PreparedA}. */
  public static PreparedA prepareA(float[] a, float quantMult, int rows, int cols) {
    PreparedA out = PreparedA.allocate(Precision.INT8_SHIFT, rows, cols);
    prepareA(a, 0, quantMult, rows, cols, out);
    return out;
  }

  /** Allocation-free prepareA into a buffer from {@code PreparedA.allocate(Precision.INT8_SHIFT, ...)}. */
  public static void prepareA(float[] a, int offset, float quantMult, int rows, int cols, PreparedA out) {
    Int8.prepareA8("Int8Shift.prepareA", a, offset, quantMult, rows, cols, out, Precision.INT8_SHIFT, SHIFT);
  }

  /** Same as {@link Int8#prepareB}. */
  public static PreparedB prepareB(float[] b, float quantMult, int rows, int cols) {
    return Int8.prepareB(b, quantMult, rows, cols);
  }

  /** Same as {@link Int8#prepareBTransposed}. */
  public static PreparedB prepareBTransposed(float[] bt, float quantMult, int rows, int cols) {
    return Int8.prepareBTransposed(bt, quantMult, rows, cols);
  }

  /** Same as {@link Int8#prepareBQuantizedTransposed(byte[], int, int)}. */
  public static PreparedB prepareBQuantizedTransposed(byte[] bt, int rows, int cols) {
    return Int8.prepareBQuantizedTransposed(bt, rows, cols);
  }

  /** Same as {@link Int8#prepareBQuantizedTransposed(byte[], int, int, int)}. */
  public static PreparedB prepareBQuantizedTransposed(byte[] bt, int offset, int rows, int cols) {
    return Int8.prepareBQuantizedTransposed(bt, offset, rows, cols);
  }

  /** Same as {@link Int8#selectColumnsB(PreparedB, int[])}. */
  public static PreparedB selectColumnsB(PreparedB b, int[] columns) {
    return Int8.selectColumnsB(b, columns);
  }

  /** Same as {@link Int8#selectColumnsB(PreparedB, int[], int, int)}. */
  public static PreparedB selectColumnsB(PreparedB b, int[] columns, int from, int to) {
    return Int8.selectColumnsB(b, columns, from, to);
  }

  /**
   * The factor intgemm users apply to the column sums: {@code -(alphaA * alphaB) / 127} with {@code alpha =
   * 127 / quantMult}, evaluated in float in exactly Marian's order so that biases match bit for bit.
   */
  public static float biasCorrectionMult(float quantMultA, float quantMultB) {
    return (-1f) * ((127f / quantMultA) * (127f / quantMultB)) / 127f;
  }

  /**
   * intgemm's {@code PrepareBias}: computes the exact column sums {@code S_n = sum_k b[k][n]} (the Int8Shift
   * product of a row of ones with B) and hands them to {@code epilogue} as row 0 of a 1 x N result. With
   * {@code UnquantizeAndAddBiasAndWrite(biasCorrectionMult(qA, qB), bias, out)} this folds the shift correction
   * into the bias ({@code out} may be {@code bias}).
   */
  public static void prepareBias(PreparedB b, Epilogue epilogue) {
    String op = "Int8Shift.prepareBias";
    Checks.precision(op, b, Precision.INT8);
    Epilogues.check(op, epilogue, 1, b.cols());
    ScalarKernels8.columnSums(b, epilogue);
  }

  /**
   * The prepared bias for {@code multiply(..., UnquantizeAndAddBiasAndWrite(unquantMult(qA, qB), result,
   * out))}: {@code result[n] = (float) S_n * biasCorrectionMult(qA, qB) + bias[n]}, or without the add when
   * {@code bias} is null (Marian's "fake bias"). Returns a new array of N floats.
   */
  public static float[] prepareBias(PreparedB b, float quantMultA, float quantMultB, float[] bias) {
    float[] out = new float[b.cols()];
    prepareBias(b, quantMultA, quantMultB, bias, out);
    return out;
  }

  /** Allocation-free {@link #prepareBias(PreparedB, float, float, float[])} into {@code out}. */
  public static void prepareBias(PreparedB b, float quantMultA, float quantMultB, float[] bias, float[] out) {
    float f = biasCorrectionMult(quantMultA, quantMultB);
    prepareBias(
        b,
        bias == null
            ? new Epilogue.UnquantizeAndWrite(f, out)
            : new Epilogue.UnquantizeAndAddBiasAndWrite(f, bias, out));
  }

  /** C = A * B (shifted, see the contract) through {@code epilogue}; allocates nothing. */
  public static void multiply(PreparedA a, PreparedB b, Epilogue epilogue) {
    check("Int8Shift.multiply", a, b, epilogue);
    Kernels.multiplyShift(a, b, epilogue, 0, b.cols());
  }

  /** Parallel multiply over blocks of whole 8-column groups; see {@link Int8#multiply(PreparedA, PreparedB,
   * Epilogue, Executor, int)}. */
  public static void multiply(
      PreparedA a, PreparedB b, Epilogue epilogue, Executor executor, int parallelism) {
    check("Int8Shift.multiply", a, b, epilogue);
    Parallel.columns(
        b.cols(), executor, parallelism, (c0, c1) -> Kernels.multiplyShift(a, b, epilogue, c0, c1));
  }

  private static void check(String op, PreparedA a, PreparedB b, Epilogue e) {
    Checks.precision(op, a, Precision.INT8_SHIFT);
    Checks.precision(op, b, Precision.INT8);
    Checks.multiply(op, a, b);
    Epilogues.check(op, e, a.rows(), b.cols());
  }
}
