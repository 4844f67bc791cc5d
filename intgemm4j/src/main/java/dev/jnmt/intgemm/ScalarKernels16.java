package dev.jnmt.intgemm;

/**
 * Scalar reference for the 16-bit kernel: {@code vpmaddwd} + {@code vpaddd} compute the dot product in 32 bits
 * with wrap-around and no saturation, which is Java's {@code int} arithmetic.
 */
final class ScalarKernels16 {
  private ScalarKernels16() {}

  static int dot16(int[] a, int aOffset, short[] b, int bOffset, int k) {
    int sum = 0;
    for (int i = 0; i < k; i++) {
      sum += a[aOffset + i] * b[bOffset + i];
    }
    return sum;
  }

  static void multiply16(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd) {
    int[] av = a.ints;
    short[] bv = b.shorts;
    int k = a.cols();
    int rows = a.rows();
    int cols = b.cols();
    for (int c = colStart; c < colEnd; c++) {
      for (int r = 0; r < rows; r++) {
        Epilogues.apply(e, r, c, cols, dot16(av, r * k, bv, c * k, k));
      }
    }
  }
}
