package dev.jnmt.intgemm;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Float32 matrix multiplication for the decoder's float path, with the same three-step shape as intgemm:
 * prepare B once, then multiply any number of A matrices by it with a fused epilogue.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link #prepareB} takes B row-major [K × N]; {@link #prepareBTransposed} takes Bᵀ row-major [N × K],
 *       the way PyTorch/Marian store Linear weights {@code [out, in]}. Both give the same packed
 *       {@link FloatPreparedB}.
 *   <li>{@link #multiply} computes C [M × N] = A [M × K] · B with A row-major and dense (index 0, stride K),
 *       then applies the {@link FloatEpilogue} (write, ReLU, bias, bias + ReLU) while storing C.
 *   <li>Any M ≥ 0, K ≥ 1, N ≥ 1: no multiples are required; ragged edges are handled inside.
 *   <li>Numerics: each C[i][j] is accumulated over k = 0..K-1 in order with one fused multiply-add per term
 *       ({@link Math#fma}), starting from +0.0, then the bias is added, then ReLU. The vector kernels and the
 *       scalar twin follow that order exactly, so their results are bit-identical at every vector width.
 *   <li>{@code multiply} allocates nothing; the parallel overload allocates one small task per part.
 * </ul>
 *
 * <p>{@link #matmul} and {@link #matmulTransB} multiply two activation matrices given as {@link FloatMatrix}
 * views (a batched attention's softmax·V and Q·Kᵀ), without a prepared operand. jnmt's decoder does not use
 * them today: its attention runs a per-query kernel of its own ({@code dev.jnmt.decoder.model.Attention}).
 *
 * <p>The SIMD width is {@link VectorWidth#current()}; {@link VectorWidth#SCALAR} runs the scalar twin.
 */
public final class FloatGemm {
  /** Panel width used when no vector kernel is active. */
  private static final int SCALAR_PANEL = 16;

  private static final boolean VECTOR = VectorWidth.current() != VectorWidth.SCALAR;

  private FloatGemm() {}

  /** Columns per panel of a B prepared in this JVM. */
  static int panelWidth() {
    return VECTOR ? FloatGemmVector.PANEL : SCALAR_PANEL;
  }

  /**
   * Packs B for {@link #multiply}.
   *
   * @param b row-major [rows × cols]: b[k·cols + n] = B[k][n]
   * @param rows K, ≥ 1
   * @param cols N, ≥ 1
   */
  public static FloatPreparedB prepareB(float[] b, int rows, int cols) {
    return prepare(b, rows, cols, false, "B");
  }

  /**
   * Packs B from its transpose, e.g. a Linear weight stored {@code [out = N, in = K]}.
   *
   * @param bTransposed row-major [cols × rows]: bTransposed[n·rows + k] = B[k][n]
   * @param rows K, ≥ 1
   * @param cols N, ≥ 1
   */
  public static FloatPreparedB prepareBTransposed(float[] bTransposed, int rows, int cols) {
    return prepare(bTransposed, rows, cols, true, "Bᵀ");
  }

  /**
   * A prepared B holding only columns {@code columns} of {@code b}, in list order (repeats allowed); the
   * float32 twin of {@link Int8#selectColumnsB}. Equals preparing the selected columns directly, so each
   * output column of a multiply is bit for bit the one the full B gives.
   *
   * @throws IllegalArgumentException for an empty list or a column outside B
   */
  public static FloatPreparedB selectColumnsB(FloatPreparedB b, int[] columns) {
    Objects.requireNonNull(columns, "columns");
    if (columns.length == 0) {
      throw new IllegalArgumentException("FloatGemm.selectColumnsB: the selection is empty");
    }
    int rows = b.rows();
    int pw = b.panelWidth();
    int count = columns.length;
    int panels = (count + pw - 1) / pw;
    long size = (long) panels * pw * rows;
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          "FloatGemm.selectColumnsB: [K=" + rows + " × N=" + count + "] is too large to pack into one array");
    }
    float[] src = b.data();
    float[] data = new float[(int) size];
    for (int i = 0; i < count; i++) {
      int c = columns[i];
      if (c < 0 || c >= b.cols()) {
        throw new IllegalArgumentException(
            "FloatGemm.selectColumnsB: column " + c + " at list position " + i + " is outside B's " + b.cols()
                + " columns");
      }
      int from = (c / pw) * rows * pw + c % pw;
      int to = (i / pw) * rows * pw + i % pw;
      for (int k = 0; k < rows; k++) {
        data[to + k * pw] = src[from + k * pw];
      }
    }
    return new FloatPreparedB(data, rows, count, pw);
  }

  private static FloatPreparedB prepare(
      float[] src, int rows, int cols, boolean transposed, String name) {
    Objects.requireNonNull(src, name);
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException(
          name + " shape K=" + rows + ", N=" + cols + ": both must be ≥ 1");
    }
    if ((long) rows * cols != src.length) {
      throw new IllegalArgumentException(
          name + " has " + src.length + " floats but K×N = " + rows + "×" + cols + " = "
              + (long) rows * cols);
    }
    int pw = panelWidth();
    int panels = (cols + pw - 1) / pw;
    long size = (long) panels * pw * rows;
    if (size > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          name + " [K=" + rows + " × N=" + cols + "] is too large to pack into one array");
    }
    float[] data = new float[(int) size];
    for (int p = 0; p < panels; p++) {
      int col0 = p * pw;
      int width = Math.min(pw, cols - col0);
      for (int k = 0; k < rows; k++) {
        int dst = (p * rows + k) * pw;
        if (transposed) {
          for (int j = 0; j < width; j++) {
            data[dst + j] = src[(col0 + j) * rows + k];
          }
        } else {
          System.arraycopy(src, k * cols + col0, data, dst, width);
        }
      }
    }
    return new FloatPreparedB(data, rows, cols, pw);
  }

  /**
   * C = A·B followed by the epilogue, on the calling thread.
   *
   * @param a row-major [aRows × b.rows()] (extra trailing elements are ignored)
   * @param aRows M, ≥ 0
   * @param b prepared in this JVM
   * @param out where and how C [aRows × b.cols()] is written
   */
  public static void multiply(float[] a, int aRows, FloatPreparedB b, FloatEpilogue out) {
    check(a, aRows, b, out);
    run(a, aRows, b, out, 0, b.panels());
  }

  /**
   * {@link #multiply(float[], int, FloatPreparedB, FloatEpilogue)} split over column panels, with the same
   * signature shape as the integer {@code multiply(..., Executor, int)}: {@code parallelism - 1} contiguous
   * panel ranges go to {@code executor} and one runs on the calling thread, which then waits for the others.
   * The result is bit-identical to the single-threaded call. The executor should be able to run
   * {@code parallelism - 1} tasks at once (for example a fixed pool of that size); an exception in any part
   * is rethrown here.
   *
   * @param parallelism number of parts, ≥ 1 (capped at the number of panels)
   */
  public static void multiply(
      float[] a, int aRows, FloatPreparedB b, FloatEpilogue out, Executor executor, int parallelism) {
    check(a, aRows, b, out);
    Objects.requireNonNull(executor, "executor");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism = " + parallelism + ": must be ≥ 1");
    }
    int panels = b.panels();
    int parts = Math.min(parallelism, panels);
    if (parts <= 1 || aRows == 0) {
      run(a, aRows, b, out, 0, panels);
      return;
    }
    CompletableFuture<?>[] others = new CompletableFuture<?>[parts - 1];
    for (int t = 1; t < parts; t++) {
      int p0 = (int) ((long) panels * t / parts);
      int p1 = (int) ((long) panels * (t + 1) / parts);
      others[t - 1] = CompletableFuture.runAsync(() -> run(a, aRows, b, out, p0, p1), executor);
    }
    run(a, aRows, b, out, 0, panels / parts);
    try {
      CompletableFuture.allOf(others).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private static void run(float[] a, int aRows, FloatPreparedB b, FloatEpilogue out, int p0, int p1) {
    float[] bias = biasOf(out);
    boolean relu = reluOf(out);
    if (VECTOR) {
      FloatGemmVector.multiply(a, aRows, b.data(), b.rows(), b.cols(), out.c(), bias, relu, p0, p1);
    } else {
      FloatGemmScalar.multiply(
          a, aRows, b.data(), b.rows(), b.cols(), b.panelWidth(), out.c(), bias, relu, p0, p1);
    }
  }

  static void check(float[] a, int aRows, FloatPreparedB b, FloatEpilogue out) {
    Objects.requireNonNull(a, "A");
    Objects.requireNonNull(b, "B");
    Objects.requireNonNull(out, "epilogue");
    if (b.panelWidth() != panelWidth()) {
      throw new IllegalArgumentException(
          b + " was prepared for panel width " + b.panelWidth() + " but this JVM uses " + panelWidth());
    }
    int k = b.rows();
    int n = b.cols();
    if (aRows < 0) {
      throw new IllegalArgumentException("A rows = " + aRows + ": must be ≥ 0");
    }
    if ((long) aRows * k > a.length) {
      throw new IllegalArgumentException(
          "A [" + aRows + " × " + k + "] needs " + (long) aRows * k + " floats but has " + a.length);
    }
    if ((long) aRows * n > out.c().length) {
      throw new IllegalArgumentException(
          "C [" + aRows + " × " + n + "] needs " + (long) aRows * n + " floats but has "
              + out.c().length);
    }
    float[] bias = biasOf(out);
    if (bias != null && bias.length != n) {
      throw new IllegalArgumentException(
          "bias has " + bias.length + " floats but B has N = " + n + " columns");
    }
    if (out.c() == a) {
      throw new IllegalArgumentException("C must not be the same array as A");
    }
  }

  static float[] biasOf(FloatEpilogue e) {
    return switch (e) {
      case FloatEpilogue.Write w -> null;
      case FloatEpilogue.Relu r -> null;
      case FloatEpilogue.AddBias ab -> ab.bias();
      case FloatEpilogue.AddBiasRelu abr -> abr.bias();
    };
  }

  static boolean reluOf(FloatEpilogue e) {
    return switch (e) {
      case FloatEpilogue.Write w -> false;
      case FloatEpilogue.Relu r -> true;
      case FloatEpilogue.AddBias ab -> false;
      case FloatEpilogue.AddBiasRelu abr -> true;
    };
  }

  /**
   * C = A·B for two activation matrices. Each C[i][j] is the in-order {@link Math#fma} sum over k, as in
   * {@link #multiply}, so every vector width gives identical results. C must not overlap A or B.
   *
   * @param a [M × K]
   * @param b [K × N]
   * @param c [M × N], overwritten
   */
  public static void matmul(FloatMatrix a, FloatMatrix b, FloatMatrix c) {
    if (a.cols() != b.rows() || c.rows() != a.rows() || c.cols() != b.cols()) {
      throw new IllegalArgumentException(
          "matmul shapes: A [" + a.rows() + " × " + a.cols() + "] · B [" + b.rows() + " × " + b.cols()
              + "] → C [" + c.rows() + " × " + c.cols() + "]");
    }
    if (VECTOR) {
      FloatGemmVector.matmul(a, b, c);
    } else {
      FloatGemmScalar.matmul(a, b, c);
    }
  }

  /**
   * C = scale · A·Bᵀ for two activation matrices (attention scores Q·Kᵀ/√d). Each dot product runs as 16
   * fused multiply-add chains (term k goes to chain k mod 16) over the first K − K mod 16 terms, the chains
   * added in order, then the remaining terms in order: the order of one 512-bit vector, reproduced with 2 or
   * 4 vectors at 256 or 128 bits and by the scalar twin, so results are the same bits at every width.
   * C must not overlap A or B.
   *
   * @param a [M × K]
   * @param b [N × K]
   * @param scale factor applied to each dot product
   * @param c [M × N], overwritten
   */
  public static void matmulTransB(FloatMatrix a, FloatMatrix b, float scale, FloatMatrix c) {
    if (a.cols() != b.cols() || c.rows() != a.rows() || c.cols() != b.rows()) {
      throw new IllegalArgumentException(
          "matmulTransB shapes: A [" + a.rows() + " × " + a.cols() + "] · Bᵀ with B [" + b.rows()
              + " × " + b.cols() + "] → C [" + c.rows() + " × " + c.cols() + "]");
    }
    if (VECTOR) {
      FloatGemmVector.matmulTransB(a, b, scale, c);
    } else {
      FloatGemmScalar.matmulTransB(a, b, scale, c);
    }
  }
}
