package dev.jnmt.intgemm;

/** Argument checks shared by the facades; every message names the operation, the shape and the rule. */
final class Checks {
  private Checks() {}

  static void shape(String op, String what, int rows, int cols) {
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException(op + ": " + what + " shape " + rows + "x" + cols + " is negative");
    }
  }

  /** The inner dimension rule: K % 64 == 0 (8-bit) or K % 32 == 0 (16-bit), K > 0. */
  static void inner(String op, String what, int rows, int cols, int k, int multiple) {
    if (k <= 0 || k % multiple != 0) {
      throw new IllegalArgumentException(
          op + ": " + what + " is " + rows + "x" + cols + " but the inner dimension K=" + k
              + " must be a positive multiple of " + multiple);
    }
  }

  /** The output column rule: N % 8 == 0. */
  static void columns(String op, String what, int rows, int cols, int n) {
    if (n % 8 != 0) {
      throw new IllegalArgumentException(
          op + ": " + what + " is " + rows + "x" + cols + " but the column count N=" + n
              + " must be a multiple of 8");
    }
  }

  static void length(String op, String what, int have, int offset, long need) {
    if (offset < 0 || have - (long) offset < need) {
      throw new IllegalArgumentException(
          op + ": " + what + " has " + have + " elements from offset " + offset + " but " + need
              + " are needed");
    }
  }

  static long product(String op, String what, int rows, int cols) {
    shape(op, what, rows, cols);
    long n = (long) rows * cols;
    if (n > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(op + ": " + what + " " + rows + "x" + cols + " is too large");
    }
    return n;
  }

  static void precision(String op, PreparedA a, Precision expected) {
    if (a.precision() != expected) {
      throw new IllegalArgumentException(
          op + ": A was prepared for " + a.precision() + ", not " + expected);
    }
  }

  static void precision(String op, PreparedB b, Precision expected) {
    if (b.precision() != expected) {
      throw new IllegalArgumentException(op + ": B is " + b.precision() + ", not " + expected);
    }
  }

  static void multiply(String op, PreparedA a, PreparedB b) {
    if (a.cols() != b.rows()) {
      throw new IllegalArgumentException(
          op + ": A is " + a.rows() + "x" + a.cols() + " but B is " + b.rows() + "x" + b.cols()
              + " (A's columns must equal B's rows)");
    }
  }
}
