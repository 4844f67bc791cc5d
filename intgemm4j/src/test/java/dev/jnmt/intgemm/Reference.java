package dev.jnmt.intgemm;

import java.util.SplittableRandom;

/**
 * Test-side restatement of intgemm's semantics on plain natural-order arrays, written independently of the
 * library's layouts (A is M x K row-major, B is K x N row-major, both already quantized).
 */
final class Reference {
  private Reference() {}

  static int sat16(long x) {
    return (int) Math.max(-32768, Math.min(32767, x));
  }

  /** intgemm AVX2 Int8: 16 lanes of 16-bit saturating accumulation, lane l = pairs (2l, 2l+1) of each 32-chunk. */
  static int[] int8(int[] a, int[] b, int m, int k, int n) {
    int[] c = new int[m * n];
    for (int r = 0; r < m; r++) {
      for (int col = 0; col < n; col++) {
        int[] lanes = new int[16];
        for (int chunk = 0; chunk < k; chunk += 32) {
          for (int l = 0; l < 16; l++) {
            int k0 = chunk + 2 * l;
            int pair = a[r * k + k0] * b[k0 * n + col] + a[r * k + k0 + 1] * b[(k0 + 1) * n + col];
            lanes[l] = sat16(lanes[l] + pair);
          }
        }
        int sum = 0;
        for (int v : lanes) {
          sum += v;
        }
        c[r * n + col] = sum;
      }
    }
    return c;
  }

  /** intgemm Int8Shift: a are the unsigned shifted values [0, 254]; each pair sum saturates on its own. */
  static int[] int8Shift(int[] au, int[] b, int m, int k, int n) {
    int[] c = new int[m * n];
    for (int r = 0; r < m; r++) {
      for (int col = 0; col < n; col++) {
        int sum = 0;
        for (int k0 = 0; k0 < k; k0 += 2) {
          sum += sat16((long) au[r * k + k0] * b[k0 * n + col] + (long) au[r * k + k0 + 1] * b[(k0 + 1) * n + col]);
        }
        c[r * n + col] = sum;
      }
    }
    return c;
  }

  /** Exact product in 64 bits (for comparison with saturation-free cases). */
  static long[] exact(int[] a, int[] b, int m, int k, int n) {
    long[] c = new long[m * n];
    for (int r = 0; r < m; r++) {
      for (int col = 0; col < n; col++) {
        long sum = 0;
        for (int i = 0; i < k; i++) {
          sum += (long) a[r * k + i] * b[i * n + col];
        }
        c[r * n + col] = sum;
      }
    }
    return c;
  }

  /** intgemm Int16: 32-bit wrapping dot product. */
  static int[] int16(int[] a, int[] b, int m, int k, int n) {
    int[] c = new int[m * n];
    for (int r = 0; r < m; r++) {
      for (int col = 0; col < n; col++) {
        int sum = 0;
        for (int i = 0; i < k; i++) {
          sum += a[r * k + i] * b[i * n + col];
        }
        c[r * n + col] = sum;
      }
    }
    return c;
  }

  /** Float64 product of the unquantized inputs. */
  static double[] float64(float[] a, float[] b, int m, int k, int n) {
    double[] c = new double[m * n];
    for (int r = 0; r < m; r++) {
      for (int col = 0; col < n; col++) {
        double sum = 0;
        for (int i = 0; i < k; i++) {
          sum += (double) a[r * k + i] * b[i * n + col];
        }
        c[r * n + col] = sum;
      }
    }
    return c;
  }

  /** Round half to even with x86 saturation rules, restated via BigDecimal-free double arithmetic. */
  static int quantize(float x, float mult, int lo, int hi, int special) {
    float v = x * mult;
    if (Float.isNaN(v) || v >= 2147483648f) {
      return special;
    }
    double r = Math.rint(v);
    if (r < lo) {
      return v < -2147483648f ? special : lo;
    }
    return (int) Math.min(r, hi);
  }

  static int[] quantize8(float[] x, float mult) {
    int[] q = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      q[i] = Math.max(-127, quantize(x[i], mult, -128, 127, -128));
    }
    return q;
  }

  static int[] quantize16(float[] x, float mult) {
    int[] q = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      q[i] = quantize(x[i], mult, -32768, 32767, -32768);
    }
    return q;
  }

  static float[] uniform(SplittableRandom rnd, int count, double lo, double hi) {
    float[] x = new float[count];
    for (int i = 0; i < count; i++) {
      x[i] = (float) rnd.nextDouble(lo, hi);
    }
    return x;
  }

  static float[] transpose(float[] x, int rows, int cols) {
    float[] t = new float[x.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = x[r * cols + c];
      }
    }
    return t;
  }
}
