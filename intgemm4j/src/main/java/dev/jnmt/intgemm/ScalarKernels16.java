package dev.jnmt.intgemm;

/**
 * Scalar reference for the 16-bit kernel: {@code vpmaddwd} + {@code vpaddd} compute the dot product in 32 bits
 * with wrap-around and no saturation, which is Java's {@code int} arithmetic.
 */
final class ScalarKernels16 {
  private ScalarKernels16() {}

  /** B's column starts at {@code bOffset}; its 8-value chunk at k-offset x lies {@code 4 * x} further. */
  static int dot16(int[] a, int aOffset, short[] b, int bOffset, int k) {
    int sum = 0;
    for (int x = 0; x < k; x += 8) {
      for (int i = 0; i < 8; i++) {
        sum += a[aOffset + x + i] * b[bOffset + 4 * x + i];
      }
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
        Epilogues.apply(e, r, c, cols, dot16(av, r * k, bv, PreparedB.column16(c, k), k));
      }
    }
  }
}
