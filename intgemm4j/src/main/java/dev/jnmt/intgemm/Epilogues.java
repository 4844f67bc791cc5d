package dev.jnmt.intgemm;

/** Applies an {@link Epilogue} to finished integer sums; shared by every kernel. */
final class Epilogues {
  private Epilogues() {}

  /** Checks once per call that the epilogue's arrays can hold an {@code rows x cols} result. */
  static void check(String op, Epilogue e, int rows, int cols) {
    long need = (long) rows * cols;
    int outLen =
        switch (e) {
          case Epilogue.UnquantizeAndWrite u -> u.out().length;
          case Epilogue.UnquantizeAndWriteRelu u -> u.out().length;
          case Epilogue.UnquantizeAndAddBiasAndWrite u -> checkBias(op, u.bias(), cols, u.out().length);
          case Epilogue.UnquantizeAndAddBiasAndWriteRelu u -> checkBias(op, u.bias(), cols, u.out().length);
          case Epilogue.WriteInt32 w -> w.out().length;
        };
    if (outLen < need) {
      throw new IllegalArgumentException(
          op + ": output has " + outLen + " elements but the result is " + rows + "x" + cols + " = " + need);
    }
  }

  private static int checkBias(String op, float[] bias, int cols, int outLen) {
    if (bias.length < cols) {
      throw new IllegalArgumentException(
          op + ": bias has " + bias.length + " elements but B has " + cols + " columns");
    }
    return outLen;
  }

  /**
   * The output array a kernel stores {@code (float) sum} into for the float epilogues (finished afterwards by
   * {@link #finish}), or null when the epilogue writes int32.
   */
  static float[] floatOut(Epilogue e) {
    return switch (e) {
      case Epilogue.UnquantizeAndWrite u -> u.out();
      case Epilogue.UnquantizeAndWriteRelu u -> u.out();
      case Epilogue.UnquantizeAndAddBiasAndWrite u -> u.out();
      case Epilogue.UnquantizeAndAddBiasAndWriteRelu u -> u.out();
      case Epilogue.WriteInt32 w -> null;
    };
  }

  /** The int32 output, or null for the float epilogues. */
  static int[] intOut(Epilogue e) {
    return e instanceof Epilogue.WriteInt32 w ? w.out() : null;
  }

  /**
   * Kernel-side store: the sum itself for int32 output, else {@code (float) sum} (round to nearest, as
   * {@code cvtdq2ps}), which {@link #finish} then multiplies, biases and clamps in place. Splitting the epilogue
   * this way keeps kernels small enough for C2.
   */
  static void store(float[] fout, int[] iout, int index, int sum) {
    if (iout != null) {
      iout[index] = sum;
    } else {
      fout[index] = (float) sum;
    }
  }

  /**
   * Completes a float epilogue over rows {@code [0, rows)} and columns {@code [colStart, colEnd)} of a result
   * with {@code cols} columns, whose elements hold {@code (float) sum} ({@link #store}): the same float
   * operations, in the same order, as {@link #apply}.
   */
  static void finish(Epilogue e, int rows, int cols, int colStart, int colEnd) {
    switch (e) {
      case Epilogue.WriteInt32 w -> {}
      case Epilogue.UnquantizeAndWrite u -> {
        for (int r = 0; r < rows; r++) {
          scale(u.out(), r * cols + colStart, colEnd - colStart, u.unquantMult());
        }
      }
      case Epilogue.UnquantizeAndWriteRelu u -> {
        for (int r = 0; r < rows; r++) {
          scaleRelu(u.out(), r * cols + colStart, colEnd - colStart, u.unquantMult());
        }
      }
      case Epilogue.UnquantizeAndAddBiasAndWrite u -> {
        for (int r = 0; r < rows; r++) {
          scaleBias(u.out(), r * cols + colStart, u.bias(), colStart, colEnd - colStart, u.unquantMult());
        }
      }
      case Epilogue.UnquantizeAndAddBiasAndWriteRelu u -> {
        for (int r = 0; r < rows; r++) {
          scaleBiasRelu(u.out(), r * cols + colStart, u.bias(), colStart, colEnd - colStart, u.unquantMult());
        }
      }
    }
  }

  private static void scale(float[] x, int offset, int n, float mult) {
    if (Kernels.VECTOR) {
      VectorEpilogues.scale(x, offset, n, mult);
      return;
    }
    for (int i = offset; i < offset + n; i++) {
      x[i] = x[i] * mult;
    }
  }

  private static void scaleRelu(float[] x, int offset, int n, float mult) {
    if (Kernels.VECTOR) {
      VectorEpilogues.scaleRelu(x, offset, n, mult);
      return;
    }
    for (int i = offset; i < offset + n; i++) {
      x[i] = relu(x[i] * mult);
    }
  }

  private static void scaleBias(float[] x, int offset, float[] bias, int biasOffset, int n, float mult) {
    if (Kernels.VECTOR) {
      VectorEpilogues.scaleBias(x, offset, bias, biasOffset, n, mult);
      return;
    }
    for (int i = 0; i < n; i++) {
      x[offset + i] = x[offset + i] * mult + bias[biasOffset + i];
    }
  }

  private static void scaleBiasRelu(float[] x, int offset, float[] bias, int biasOffset, int n, float mult) {
    if (Kernels.VECTOR) {
      VectorEpilogues.scaleBiasRelu(x, offset, bias, biasOffset, n, mult);
      return;
    }
    for (int i = 0; i < n; i++) {
      x[offset + i] = relu(x[offset + i] * mult + bias[biasOffset + i]);
    }
  }

  static float relu(float x) {
    return x > 0f ? x : 0f;
  }

  /** Writes {@code sum} as element (row, col) of a result with {@code cols} columns. */
  static void apply(Epilogue e, int row, int col, int cols, int sum) {
    int i = row * cols + col;
    switch (e) {
      case Epilogue.UnquantizeAndWrite u -> u.out()[i] = (float) sum * u.unquantMult();
      case Epilogue.UnquantizeAndWriteRelu u -> u.out()[i] = relu((float) sum * u.unquantMult());
      case Epilogue.UnquantizeAndAddBiasAndWrite u ->
          u.out()[i] = (float) sum * u.unquantMult() + u.bias()[col];
      case Epilogue.UnquantizeAndAddBiasAndWriteRelu u ->
          u.out()[i] = relu((float) sum * u.unquantMult() + u.bias()[col]);
      case Epilogue.WriteInt32 w -> w.out()[i] = sum;
    }
  }
}
