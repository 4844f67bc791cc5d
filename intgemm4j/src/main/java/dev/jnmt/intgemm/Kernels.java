package dev.jnmt.intgemm;

/**
 * Chooses between the vector kernels and their scalar twins once per JVM ({@link VectorWidth#current()}); the
 * vector classes are never loaded at width 0.
 */
final class Kernels {
  private Kernels() {}

  static final boolean VECTOR = VectorWidth.current() != VectorWidth.SCALAR;

  /**
   * Quantize calls over at least this many values take the scalar twin (the same bits). Such calls are bulk,
   * one-shot work: a whole weight matrix at load (activations go through prepareA). At that point C2 has not
   * compiled the vector loop, and until it does the Vector API runs its Java fallback, which allocates arrays for
   * every operation: loading the shipped model at int8 spent about 1 s and 580 MB there. The scalar loop is
   * compiled within milliseconds and allocates nothing.
   */
  static final int BULK = 1 << 16;

  static void multiply8(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd) {
    if (VECTOR) {
      VectorKernels8.multiply8(a, b, e, colStart, colEnd);
    } else {
      ScalarKernels8.multiply8(a, b, e, colStart, colEnd);
    }
  }

  static void multiplyShift(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd) {
    if (VECTOR) {
      VectorKernels8.multiplyShift(a, b, e, colStart, colEnd);
    } else {
      ScalarKernels8.multiplyShift(a, b, e, colStart, colEnd);
    }
  }

  static void multiply16(PreparedA a, PreparedB b, Epilogue e, int colStart, int colEnd) {
    if (VECTOR) {
      VectorKernels16.multiply16(a, b, e, colStart, colEnd);
    } else {
      ScalarKernels16.multiply16(a, b, e, colStart, colEnd);
    }
  }

  static float maxAbsolute(float[] x, int from, int to) {
    return VECTOR ? VectorQuantize.maxAbsolute(x, from, to) : ScalarQuantize.maxAbsolute(x, from, to);
  }

  static void prepareA8(float[] in, int offset, float quantMult, int rows, int cols, short[] out, int shift) {
    if (VECTOR) {
      VectorQuantize.prepareA8(in, offset, quantMult, rows, cols, out, shift);
    } else {
      ScalarQuantize.prepareA8(in, offset, quantMult, rows, cols, out, shift);
    }
  }

  static void prepareA16(float[] in, int offset, float quantMult, int count, int[] out) {
    if (VECTOR) {
      VectorQuantize.prepareA16(in, offset, quantMult, count, out);
    } else {
      ScalarQuantize.prepareA16(in, offset, quantMult, count, out);
    }
  }

  static void quantize8(float[] in, int inOffset, byte[] out, int outOffset, int count, float quantMult) {
    if (VECTOR && count < BULK) {
      VectorQuantize.quantize8(in, inOffset, out, outOffset, count, quantMult);
    } else {
      ScalarQuantize.quantize8(in, inOffset, out, outOffset, count, quantMult);
    }
  }

  static void quantize16(float[] in, int inOffset, short[] out, int outOffset, int count, float quantMult) {
    if (VECTOR && count < BULK) {
      VectorQuantize.quantize16(in, inOffset, out, outOffset, count, quantMult);
    } else {
      ScalarQuantize.quantize16(in, inOffset, out, outOffset, count, quantMult);
    }
  }
}
