package dev.jnmt.bench;

import dev.jnmt.bleu.Bleu;
import dev.jnmt.bleu.Chrf;
import dev.jnmt.bleu.PairedTest;
import dev.jnmt.bleu.StatsMetric;
import dev.jnmt.bleu.Ter;
import java.util.ArrayList;
import java.util.List;
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
 * Speed of sacrebleu's statistical tests on one thread, segment statistics precomputed once per
 * system (as {@code jnmt bleu} does): one operation = a paired bootstrap test ({@code
 * --paired-bs}, 1,000 resamples with sacrebleu's seed) of 3 systems against a baseline on {@code
 * segments} segments of {@link BleuBench}'s synthetic corpus, including the baseline's and each
 * system's bootstrap interval; and the same for approximate randomization (10,000 trials).
 * Systems are BleuBench's hypotheses with the first 1, 2 or 3 sentences of every 10 swapped for the
 * reference (so they differ).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SignificanceBench {

  @Param({"1000"})
  public int segments;

  private List<double[]> bleuStats;
  private List<double[]> chrfStats;
  private List<double[]> terStats;
  private StatsMetric bleu;
  private StatsMetric chrf;
  private StatsMetric ter;

  @Setup(Level.Trial)
  public void prepare() {
    List<String> hyps = new ArrayList<>();
    List<String> ref = new ArrayList<>();
    BleuBench.generate(segments, hyps, ref);
    List<List<String>> systems = new ArrayList<>();
    systems.add(hyps);
    for (int k = 1; k <= 3; k++) {
      List<String> s = new ArrayList<>(hyps);
      for (int i = 0; i < s.size(); i++) {
        if (i % 10 < k) {
          s.set(i, ref.get(i));
        }
      }
      systems.add(s);
    }
    bleu = StatsMetric.of(new Bleu(Bleu.Options.DEFAULT));
    chrf = StatsMetric.of(new Chrf(Chrf.Options.DEFAULT));
    ter = StatsMetric.of(new Ter(Ter.Options.DEFAULT));
    bleuStats = new ArrayList<>();
    chrfStats = new ArrayList<>();
    terStats = new ArrayList<>();
    for (List<String> s : systems) {
      bleuStats.add(bleu.corpusSegmentStats(s, List.of(ref)));
      chrfStats.add(chrf.corpusSegmentStats(s, List.of(ref)));
      terStats.add(ter.corpusSegmentStats(s, List.of(ref)));
    }
  }

  @Benchmark
  public double pairedBootstrapBleu() {
    return new PairedTest(PairedTest.Kind.BOOTSTRAP, 1000).runOnStats(bleu, bleuStats).get(3).pValue();
  }

  @Benchmark
  public double pairedBootstrapChrf() {
    return new PairedTest(PairedTest.Kind.BOOTSTRAP, 1000).runOnStats(chrf, chrfStats).get(3).pValue();
  }

  @Benchmark
  public double pairedBootstrapTer() {
    return new PairedTest(PairedTest.Kind.BOOTSTRAP, 1000).runOnStats(ter, terStats).get(3).pValue();
  }

  @Benchmark
  public double pairedRandomizationBleu() {
    return new PairedTest(PairedTest.Kind.RANDOMIZATION, 10000)
        .runOnStats(bleu, bleuStats)
        .get(3)
        .pValue();
  }
}
