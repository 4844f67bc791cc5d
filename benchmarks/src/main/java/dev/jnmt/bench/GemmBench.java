package dev.jnmt.bench;

import dev.jnmt.intgemm.FloatEpilogue;
import dev.jnmt.intgemm.FloatGemm;
import dev.jnmt.intgemm.FloatPreparedB;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GEMM throughput, one thread, with the protocol of the native intgemm numbers in the issue: B prepared once,
 * then per call the activations are prepared (quantized, for the integer paths) and multiplied, writing C with
 * the bias epilogue. One operation = one call = 2·M·K·N floating/integer operations; {@code
 * benchmarks/gemm-table.sh} turns operations per second into GOPS.
 *
 * <p>Each (method, M, shape) runs in its own JVM, since JIT outcomes of Vector API kernels vary when several
 * kernels share one JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBench {

  /** Rows of A: 1 is one decoder step of one sentence, 8..128 are batches/beams and encoder blocks. */
  @Param({"1", "8", "32", "128"})
  public int m;

  /** K×N of B (inner × output); 256×8000 and 512×32000 are output layers. */
  @Param({"256x256", "512x512", "512x2048", "2048x512", "256x8000", "512x32000"})
  public String shape;

  private int k;
  private int n;
  private float[] a;
  private float[] bias;
  private float[] c;
  private FloatPreparedB floatB;
  private FloatEpilogue floatOut;

  @Setup(Level.Trial)
  public void setUp() {
    String[] kn = shape.split("x");
    k = Integer.parseInt(kn[0]);
    n = Integer.parseInt(kn[1]);
    SplittableRandom rnd = new SplittableRandom(42);
    a = uniform(rnd, m * k, 1);
    // Weights of a trained layer are small; the values do not change float timings.
    float[] b = uniform(rnd, k * n, 0.1);
    bias = uniform(rnd, n, 0.1);
    c = new float[m * n];
    floatB = FloatGemm.prepareBTransposed(transpose(b, k, n), k, n);
    floatOut = new FloatEpilogue.AddBias(bias, c);
  }

  static float[] uniform(SplittableRandom rnd, int size, double range) {
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] = (float) ((rnd.nextDouble() * 2 - 1) * range);
    }
    return x;
  }

  /** [rows × cols] → [cols × rows]: weights arrive as Linear [out, in]. */
  static float[] transpose(float[] x, int rows, int cols) {
    float[] t = new float[x.length];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = x[i * cols + j];
      }
    }
    return t;
  }

  /** float32: C = A·B + bias (no activation preparation exists for float). */
  @Benchmark
  public float[] float32() {
    FloatGemm.multiply(a, m, floatB, floatOut);
    return c;
  }
}
