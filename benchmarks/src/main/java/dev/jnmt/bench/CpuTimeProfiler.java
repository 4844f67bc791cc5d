package dev.jnmt.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * JMH profiler ({@code -prof dev.jnmt.bench.CpuTimeProfiler}) that reports {@code cpu.util}: the benchmark
 * JVM's CPU time divided by wall time over each iteration. On a shared machine a single-threaded benchmark
 * that gets only part of a core shows util below 1, and score / util estimates its speed while it runs (JIT
 * and GC threads count too, so after warm-up util slightly above 1 is normal on an idle machine). It cannot
 * remove the slowdown from a neighbour sharing caches or the core's other hardware thread.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private long cpuStart;
  private long wallStart;

  @Override
  public String getDescription() {
    return "process CPU time / wall time per iteration (cpu.util)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuStart = processCpuNanos();
    wallStart = System.nanoTime();
  }

  @Override
  public Collection<? extends Result<?>> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = processCpuNanos() - cpuStart;
    long wall = System.nanoTime() - wallStart;
    double util = cpuStart >= 0 && wall > 0 ? (double) cpu / wall : Double.NaN;
    return List.of(new ScalarResult("cpu.util", util, "cpus", AggregationPolicy.AVG));
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
