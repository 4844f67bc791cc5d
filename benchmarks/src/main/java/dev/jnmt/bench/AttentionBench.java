package dev.jnmt.bench;

import dev.jnmt.decoder.ops.FloatOps;
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
 * Multi-head attention of one query row, as a decoder step runs it for every row and layer: d × heads
 * (256 × 4 = the shipped model, 512 × 8 = the 6+6 model) over {@code keys} keys stored transposed with a
 * padded stride. {@code perHead}: the kernels one head at a time (scores as a matrix-vector product,
 * scale, softmax, context), as before the fused kernel; {@code fused}: {@link FloatOps#attend}, all heads
 * in one call, keys and values each in one array (the cross-attention memory); {@code chunked}: the same
 * call over the decoder cache's layout, chunks of 16 positions holding keys then values. All give the
 * same bits (FloatOpsTest). Average time per row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC", "-XX:TypeProfileLevel=222"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AttentionBench {
  @Param({"256x4", "512x8"})
  public String shape;

  @Param({"13", "40"})
  public int keys;

  private int d;
  private int heads;
  private int stride;
  private float scaling;
  private float[] q;
  private float[] kt;
  private float[] v;
  private float[] ctx;
  private float[] scores;
  private float[][] ktOne;
  private float[][] vOne;
  private float[][] chunks;
  private int chunkStride;

  @Setup
  public void setUp() {
    String[] p = shape.split("x");
    d = Integer.parseInt(p[0]);
    heads = Integer.parseInt(p[1]);
    stride = FloatOps.roundUpToPad(keys);
    scaling = (float) Math.pow(d / heads, -0.5);
    SplittableRandom r = new SplittableRandom(5);
    q = random(r, d);
    kt = random(r, d * stride);
    v = random(r, keys * d);
    ctx = new float[d];
    scores = new float[heads * stride];
    ktOne = new float[][] {kt};
    vOne = new float[][] {v};
    int c = FloatOps.PAD;
    chunks = new float[(keys + c - 1) / c][];
    for (int i = 0; i < chunks.length; i++) {
      chunks[i] = random(r, 2 * d * c);
    }
    chunkStride = chunks.length * c;
  }

  private static float[] random(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) r.nextGaussian();
    }
    return a;
  }

  @Benchmark
  public float perHead() {
    int hd = d / heads;
    int nPad = FloatOps.roundUpToLanes(keys);
    for (int h = 0; h < heads; h++) {
      int ho = h * hd;
      FloatOps.gemvTransposed(q, ho, hd, kt, ho * stride, stride, scores, 0, nPad);
      FloatOps.scale(scores, 0, keys, scaling);
      FloatOps.softmax(scores, 0, keys);
      FloatOps.weightedRows(scores, 0, keys, v, ho, d, hd, ctx, ho);
    }
    return ctx[3];
  }

  @Benchmark
  public float fused() {
    FloatOps.attend(q, 0, ktOne, 0, stride, vOne, 0, stride, keys, d, heads, scaling, ctx, 0, scores, stride);
    return ctx[3];
  }

  @Benchmark
  public float chunked() {
    int c = FloatOps.PAD;
    FloatOps.attend(q, 0, chunks, 0, c, chunks, d * c, c, keys, d, heads, scaling, ctx, 0, scores, chunkStride);
    return ctx[3];
  }
}
