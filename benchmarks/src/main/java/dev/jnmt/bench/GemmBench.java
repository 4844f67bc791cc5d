package dev.jnmt.bench;

import dev.jnmt.intgemm.Epilogue;
import dev.jnmt.intgemm.FloatEpilogue;
import dev.jnmt.intgemm.FloatGemm;
import dev.jnmt.intgemm.FloatPreparedB;
import dev.jnmt.intgemm.Int16;
import dev.jnmt.intgemm.Int8;
import dev.jnmt.intgemm.Int8Shift;
import dev.jnmt.intgemm.Precision;
import dev.jnmt.intgemm.PreparedA;
import dev.jnmt.intgemm.PreparedB;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * GEMM throughput, one thread, with the protocol of the native intgemm numbers in the issue: B prepared once,
 * then per call the activations are prepared (quantized, for the integer paths) and multiplied, writing C with
 * the bias epilogue. The activation quantization multiplier is a constant (as in intgemm's own benchmark and
 * Marian's precomputed-alpha mode), so no MaxAbsolute pass is timed, and Int8Shift's bias correction is
 * prepared once with B. One operation = one call = 2·M·K·N floating/integer operations; {@code
 * benchmarks/gemm-table.sh} turns operations per second into GOPS.
 *
 * <p>Each (method, M, shape) runs in its own JVM, since JIT outcomes of Vector API kernels vary when several
 * kernels share one JVM.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:TypeProfileLevel=222"})
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
  private float quantMultA8;
  private PreparedB int8B;
  private PreparedB int16B;
  private PreparedA int8A;
  private PreparedA shiftA;
  private PreparedA int16A;
  private Epilogue int8Out;
  private Epilogue shiftOut;
  private Epilogue int16Out;

  /** intgemm's usual 16-bit multiplier for values of magnitude ≤ 1 (its tests and Marian use 1024). */
  private static final float QUANT_MULT_16 = 1024f;

  /** Prepares only what the running benchmark method uses (the other precisions' B would cost seconds). */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
    String[] kn = shape.split("x");
    k = Integer.parseInt(kn[0]);
    n = Integer.parseInt(kn[1]);
    SplittableRandom rnd = new SplittableRandom(42);
    a = uniform(rnd, m * k, 1);
    // Weights of a trained layer are small; the values do not change the timings.
    float[] b = uniform(rnd, k * n, 0.1);
    bias = uniform(rnd, n, 0.1);
    c = new float[m * n];
    // 8-bit: 127 / max|x| for both operands, as Marian's int8 paths do.
    quantMultA8 = 127f / Int8.maxAbsolute(a);
    float quantMultB8 = 127f / Int8.maxAbsolute(b);
    switch (method) {
      case "float32" -> {
        floatB = FloatGemm.prepareBTransposed(transpose(b, k, n), k, n);
        floatOut = new FloatEpilogue.AddBias(bias, c);
      }
      case "int8" -> {
        int8B = Int8.prepareB(b, quantMultB8, k, n);
        int8A = PreparedA.allocate(Precision.INT8, m, k);
        int8Out =
            new Epilogue.UnquantizeAndAddBiasAndWrite(Int8.unquantMult(quantMultA8, quantMultB8), bias, c);
      }
      case "int8Shift" -> {
        int8B = Int8Shift.prepareB(b, quantMultB8, k, n);
        shiftA = PreparedA.allocate(Precision.INT8_SHIFT, m, k);
        float[] shiftBias = Int8Shift.prepareBias(int8B, quantMultA8, quantMultB8, bias);
        shiftOut =
            new Epilogue.UnquantizeAndAddBiasAndWrite(
                Int8Shift.unquantMult(quantMultA8, quantMultB8), shiftBias, c);
      }
      case "int16" -> {
        int16B = Int16.prepareB(b, QUANT_MULT_16, k, n);
        int16A = PreparedA.allocate(Precision.INT16, m, k);
        int16Out =
            new Epilogue.UnquantizeAndAddBiasAndWrite(
                Int16.unquantMult(QUANT_MULT_16, QUANT_MULT_16), bias, c);
      }
      default -> throw new IllegalStateException("GemmBench: no setup for benchmark method " + method);
    }
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

  /** Int16: quantize A, C = A·B unquantized + bias. */
  @Benchmark
  public float[] int16() {
    Int16.prepareA(a, 0, QUANT_MULT_16, m, k, int16A);
    Int16.multiply(int16A, int16B, int16Out);
    return c;
  }

  /** Int8: quantize A, C = A·B unquantized + bias. */
  @Benchmark
  public float[] int8() {
    Int8.prepareA(a, 0, quantMultA8, m, k, int8A);
    Int8.multiply(int8A, int8B, int8Out);
    return c;
  }

  /** Int8Shift: quantize A with +127, C = A·B unquantized + the prepared (shift-corrected) bias. */
  @Benchmark
  public float[] int8Shift() {
    Int8Shift.prepareA(a, 0, quantMultA8, m, k, shiftA);
    Int8Shift.multiply(shiftA, int8B, shiftOut);
    return c;
  }
}
