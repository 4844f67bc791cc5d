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
