package dev.jnmt.bench;

import dev.jnmt.decoder.ops.VectorOps;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The decoder's float element-wise and row operations at the sizes one decoder step of the 6+6 model uses:
 * log-softmax over a 32k vocabulary row, swish over [4 × 2048] (beam 4's FFN activations), softmax over 64
 * attention scores, LayerNorm over 512. Each call first restores its input from a copy (included in the time,
 * the same for every version), so every call sees the same values. Average time per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:TypeProfileLevel=222"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OpsBench {
  private final float[] logits = new float[32000];
  private final float[] hidden = new float[4 * 2048];
  private final float[] scores = new float[64];
  private final float[] row = new float[512];
  private final float[] gamma = new float[512];
  private final float[] beta = new float[512];
  private float[] work;
  private float[] small;

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(42);
    for (float[] a : new float[][] {logits, hidden, scores, row, gamma, beta}) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (float) (r.nextGaussian() * 4);
      }
    }
    work = new float[logits.length];
    small = new float[row.length];
  }

  @Benchmark
  public float logSoftmax32000() {
    System.arraycopy(logits, 0, work, 0, logits.length);
    VectorOps.logSoftmax(work, 0, logits.length);
    return work[7];
  }

  @Benchmark
  public float swish4x2048() {
    System.arraycopy(hidden, 0, work, 0, hidden.length);
    VectorOps.swish(work, 0, hidden.length);
    return work[7];
  }

  @Benchmark
  public float softmax64() {
    System.arraycopy(scores, 0, small, 0, scores.length);
    VectorOps.softmax(small, 0, scores.length);
    return small[7];
  }

  @Benchmark
  public float layerNorm512() {
    System.arraycopy(row, 0, small, 0, row.length);
    VectorOps.layerNorm(small, 0, row.length, gamma, beta, 1e-5f);
    return small[7];
  }
}
