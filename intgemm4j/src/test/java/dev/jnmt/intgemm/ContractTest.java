package dev.jnmt.intgemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Shape rules, argument errors, thread safety and the parallel multiply. */
class ContractTest {

  private static void rejects(String expectedFragment, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one-line message: " + e.getMessage());
  }

  @Test
  void shapeRulesNameTheShapeAndTheRule() {
    float[] x = new float[100 * 64];
    rejects("A is 2x100 but the inner dimension K=100 must be a positive multiple of 64",
        () -> Int8.prepareA(x, 1f, 2, 100));
    rejects("K=32 must be a positive multiple of 64", () -> Int8Shift.prepareA(x, 1f, 1, 32));
    rejects("K=48 must be a positive multiple of 32", () -> Int16.prepareA(x, 1f, 1, 48));
    rejects("B is 64x12 but the column count N=12 must be a multiple of 8", () -> Int8.prepareB(x, 1f, 64, 12));
    rejects("B is 100x8 but the inner dimension K=100", () -> Int8.prepareBTransposed(x, 1f, 100, 8));
    rejects("K=16 must be a positive multiple of 32", () -> Int16.prepareB(x, 1f, 16, 8));
    rejects("N=4 must be a multiple of 8", () -> Int16.prepareBQuantizedTransposed(new short[128], 32, 4));
    rejects("B has 6400 elements from offset 0 but 8192 are needed", () -> Int8.prepareB(x, 1f, 128, 64));
    rejects("the selection is 64x12", () -> Int8.selectColumnsB(Int8.prepareB(x, 1f, 64, 8), new int[12]));
    rejects("column 8 at list position 1 is outside B's 8 columns",
        () -> Int8.selectColumnsB(Int8.prepareB(x, 1f, 64, 8), new int[] {0, 8, 0, 0, 0, 0, 0, 0}));
    byte[] q = new byte[64 * 8];
    q[70] = -128;
    rejects("B^T[1][6] = -128 is outside the 8-bit range", () -> Int8.prepareBQuantizedTransposed(q, 64, 8));
  }

  @Test
  void multiplyChecksOperands() {
    float[] x = new float[256 * 16];
    PreparedA a8 = Int8.prepareA(x, 1f, 2, 64);
    PreparedA a8s = Int8Shift.prepareA(x, 1f, 2, 64);
    PreparedB b8 = Int8.prepareB(x, 1f, 128, 8);
    rejects("A is 2x64 but B is 128x8", () -> Int8.multiply(a8, b8, new Epilogue.WriteInt32(new int[16])));
    PreparedB b64 = Int8.prepareB(x, 1f, 64, 16);
    rejects("A was prepared for INT8_SHIFT, not INT8", () -> Int8.multiply(a8s, b64, new Epilogue.WriteInt32(new int[32])));
    rejects("A was prepared for INT8, not INT8_SHIFT",
        () -> Int8Shift.multiply(a8, b64, new Epilogue.WriteInt32(new int[32])));
    rejects("B is INT8, not INT16",
        () -> Int16.multiply(Int16.prepareA(x, 1f, 2, 64), b64, new Epilogue.WriteInt32(new int[32])));
    rejects("output has 31 elements but the result is 2x16 = 32",
        () -> Int8.multiply(a8, b64, new Epilogue.WriteInt32(new int[31])));
    rejects("bias has 8 elements but B has 16 columns",
        () -> Int8.multiply(a8, b64, new Epilogue.UnquantizeAndAddBiasAndWrite(1f, new float[8], new float[32])));
    PreparedA small = PreparedA.allocate(Precision.INT8, 64);
    rejects("A is 2x64 = 128 values but the PreparedA holds at most 64",
        () -> Int8.prepareA(x, 0, 1f, 2, 64, small));
    rejects("A was prepared for INT8, not INT16", () -> Int16.prepareA(x, 0, 1f, 1, 64, small));
  }

  @Test
  void preparedABufferIsReusable() {
    SplittableRandom rnd = new SplittableRandom(50);
    int k = 128, n = 16;
    PreparedB b = Int8Shift.prepareB(Reference.uniform(rnd, k * n, -1, 1), 64f, k, n);
    PreparedA buffer = PreparedA.allocate(Precision.INT8_SHIFT, 8 * k);
    for (int m : new int[] {8, 1, 5, 0, 3}) {
      float[] a = Reference.uniform(rnd, m * k + 3, -1, 1);
      Int8Shift.prepareA(a, 3, 64f, m, k, buffer);
      int[] got = new int[m * n];
      int[] want = new int[m * n];
      Int8Shift.multiply(buffer, b, new Epilogue.WriteInt32(got));
      Int8Shift.multiply(Int8Shift.prepareA(java.util.Arrays.copyOfRange(a, 3, a.length), 64f, m, k), b,
          new Epilogue.WriteInt32(want));
      assertArrayEquals(want, got, "rows " + m);
    }
  }

  @Test
  void parallelMultiplyEqualsSerial() throws Exception {
    SplittableRandom rnd = new SplittableRandom(51);
    int m = 5, k = 256, n = 72;
    float[] a = Reference.uniform(rnd, m * k, -1, 1);
    float[] bf = Reference.uniform(rnd, k * n, -1, 1);
    float[] bias = Reference.uniform(rnd, n, -1, 1);
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      PreparedB b8 = Int8Shift.prepareB(bf, 64f, k, n);
      PreparedA a8 = Int8Shift.prepareA(a, 64f, m, k);
      PreparedB b16 = Int16.prepareB(bf, 1024f, k, n);
      PreparedA a16 = Int16.prepareA(a, 1024f, m, k);
      PreparedA a8s = Int8.prepareA(a, 64f, m, k);
      for (int threads : new int[] {1, 2, 4, 9, 20}) {
        float[] serial = new float[m * n];
        float[] parallel = new float[m * n];
        Epilogue s = new Epilogue.UnquantizeAndAddBiasAndWriteRelu(1e-4f, bias, serial);
        Epilogue p = new Epilogue.UnquantizeAndAddBiasAndWriteRelu(1e-4f, bias, parallel);
        Int8Shift.multiply(a8, b8, s);
        Int8Shift.multiply(a8, b8, p, pool, threads);
        assertArrayEquals(serial, parallel, "Int8Shift threads " + threads);
        Int8.multiply(a8s, b8, s);
        Int8.multiply(a8s, b8, p, pool, threads);
        assertArrayEquals(serial, parallel, "Int8 threads " + threads);
        int[] si = new int[m * n];
        int[] pi = new int[m * n];
        Int16.multiply(a16, b16, new Epilogue.WriteInt32(si));
        Int16.multiply(a16, b16, new Epilogue.WriteInt32(pi), pool, threads);
        assertArrayEquals(si, pi, "Int16 threads " + threads);
      }
      // Concurrent callers sharing one prepared B and one prepared A.
      float[] want = new float[m * n];
      Int8Shift.multiply(a8, b8, new Epilogue.UnquantizeAndWrite(1f, want));
      java.util.List<Future<float[]>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < 6; t++) {
        futures.add(pool.submit(() -> {
          float[] out = new float[m * n];
          for (int i = 0; i < 20; i++) {
            Int8Shift.multiply(a8, b8, new Epilogue.UnquantizeAndWrite(1f, out));
          }
          return out;
        }));
      }
      for (Future<float[]> f : futures) {
        assertArrayEquals(want, f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void parallelMultiplyPropagatesFailures() {
    PreparedA a = Int8.prepareA(new float[64], 1f, 1, 64);
    PreparedB b = Int8.prepareB(new float[64 * 16], 1f, 64, 16);
    rejects("parallelism 0 must be >= 1",
        () -> Int8.multiply(a, b, new Epilogue.WriteInt32(new int[16]), Runnable::run, 0));
    java.util.concurrent.Executor rejecting = r -> {
      throw new java.util.concurrent.RejectedExecutionException("full");
    };
    assertThrows(java.util.concurrent.RejectedExecutionException.class,
        () -> Int8.multiply(a, b, new Epilogue.WriteInt32(new int[16]), rejecting, 2));
  }
}
