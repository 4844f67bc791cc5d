package dev.jnmt.intgemm;

/**
 * Scalar reference for the 8-bit kernels: a literal statement of intgemm's AVX2 arithmetic, used at width 0 and
 * as the twin every {@link VectorKernels8} result is tested against.
 *
 * <p>Both read the split layouts of {@link PreparedA} and {@link PreparedB}: within each 32-value chunk,
 * position {@code l} (0..15) holds k = 2l and position {@code 16 + l} holds k = 2l + 1, so "lane l" below is
 * exactly AVX2's 16-bit lane l of {@code vpmaddubsw}. A's chunk at k-offset {@code x} is at {@code aOffset + x};
 * B's, in its 4-column groups, at {@code bOffset + 4 * x}.
 */
final class ScalarKernels8 {
  private ScalarKernels8() {}

  static int saturate16(int x) {
    return Math.max(-32768, Math.min(32767, x));
  }

  /**
   * Int8: lane l keeps a 16-bit saturating accumulator over all chunks of the pair sums
   * {@code a[2l]*b[2l] + a[2l+1]*b[2l+1]} (each exact, |pair| <= 32258), as {@code vpaddsw} does; the 16 lanes
   * are summed in 32 bits at the end.
   */
  static int dot8(short[] a, int aOffset, byte[] b, int bOffset, int k) {
    int total = 0;
    for (int lane = 0; lane < 16; lane++) {
      int acc = 0;
      for (int chunk = 0; chunk < k; chunk += 32) {
        int ae = aOffset + chunk + lane;
        int be = bOffset + 4 * chunk + lane;
        int pair = a[ae] * b[be] + a[ae + 16] * b[be + 16];
        acc = saturate16(acc + pair);
      }
      total += acc;
    }
    return total;
  }

  /**
   * Int8Shift: every pair sum {@code au[2j]*b[2j] + au[2j+1]*b[2j+1]} (au = a + 127 in [0, 254]) is saturated
   * to 16 bits on its own, as {@code vpmaddubsw} does, then all of them are summed in 32 bits.
   */
  static int dotShift(short[] a, int aOffset, byte[] b, int bOffset, int k) {
    int total = 0;
    for (int chunk = 0; chunk < k; chunk += 32) {
      for (int lane = 0; lane < 16; lane++) {
        int ae = aOffset + chunk + lane;
        int be = bOffset + 4 * chunk + lane;
        total += saturate16(a[ae] * b[be] + a[ae + 16] * b[be + 16]);
      }
    }
    return total;
  }

  static void multiply8(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd) {
    short[] av = a.shorts;
    byte[] bv = b.bytes;
    int k = a.cols();
    int rows = a.rows();
    int cols = b.cols();
    for (int c = colStart; c < colEnd; c++) {
      for (int r = 0; r < rows; r++) {
        Epilogues.apply(e, r, c, cols, dot8(av, r * k, bv, PreparedB.column8(c, k), k));
      }
    }
  }

  static void multiplyShift(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd) {
    short[] av = a.shorts;
    byte[] bv = b.bytes;
    int k = a.cols();
    int rows = a.rows();
    int cols = b.cols();
    for (int c = colStart; c < colEnd; c++) {
      for (int r = 0; r < rows; r++) {
        Epilogues.apply(e, r, c, cols, dotShift(av, r * k, bv, PreparedB.column8(c, k), k));
      }
    }
  }

  /** Exact column sums of B: what intgemm's PrepareBias gets from the shift kernel with A = 1. */
  static void columnSums(PreparedB b, Epilogue e) {
    byte[] bv = b.bytes;
    int k = b.rows();
    int cols = b.cols();
    for (int c = 0; c < cols; c++) {
      int sum = 0;
      int base = PreparedB.column8(c, k);
      for (int x = 0; x < k; x += 32) {
        for (int i = 0; i < 32; i++) {
          sum += bv[base + 4 * x + i];
        }
      }
      Epilogues.apply(e, 0, c, cols, sum);
    }
  }
}
