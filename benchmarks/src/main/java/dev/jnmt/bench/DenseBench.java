package dev.jnmt.bench;

import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.model.Dense;
import dev.jnmt.decoder.model.QuantizedDense;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One dense layer of the decoder ({@code Dense.forward}: everything a model call pays, i.e. the
 * per-row max-abs pass, quantization, GEMM and unquantization), one thread, per precision. {@code
 * int8shift-static} is the calibrated path (a constant activation multiplier, bias correction folded at load).
 * One operation = one forward of M rows = 2·M·K·N operations. Compare with {@link GemmBench} (the bare GEMM)
 * to see the layer's overhead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:TypeProfileLevel=222"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DenseBench {

  /** Rows: 1 = one decoder step of one sentence; 4 = beam 4; 32/128 = batches and encoder blocks. */
  @Param({"1", "4", "32", "128"})
  public int m;

  /** K×N (in × out): attention (256×256), FFN (256×1024, 1024×256), output layers (256×8000, 512×32000). */
  @Param({"256x256", "256x1024", "1024x256", "256x8000", "512x2048", "512x32000"})
  public String shape;

  @Param({"float32", "int16", "int8", "int8shift", "int8shift-static"})
  public String precision;

  private Dense layer;
  private float[] x;
  private float[] y;

  @Setup
  public void setUp() {
    String[] kn = shape.split("x");
    int k = Integer.parseInt(kn[0]);
    int n = Integer.parseInt(kn[1]);
    SplittableRandom r = new SplittableRandom(42);
    float[] w = new float[n * k];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (r.nextGaussian() / Math.sqrt(k));
    }
    float[] b = new float[n];
    for (int i = 0; i < n; i++) {
      b[i] = (float) (0.1 * r.nextGaussian());
    }
    x = new float[m * k];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    y = new float[m * n];
    layer =
        precision.equals("int8shift-static")
            ? QuantizedDense.fromFloat(GemmPrecision.INT8_SHIFT, w, n, k, b, Float.NaN, 127f / 4f)
            : Dense.create(GemmPrecision.fromName(precision), w, n, k, b);
  }

  @Benchmark
  public float[] forward() {
    layer.forward(x, m, y);
    return y;
  }
}
