package dev.jnmt.bench;

import dev.jnmt.bleu.Bleu;
import dev.jnmt.bleu.BleuTokenizer;
import dev.jnmt.bleu.Chrf;
import java.util.ArrayList;
import java.util.List;
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
 * Corpus BLEU / chrF speed on one thread: the time to score {@code lines} in-memory segments (one
 * reference each) from raw text to the final score, i.e. tokenization, n-gram statistics and the
 * score, without file reading (which {@code benchmarks/bleu-bench.sh} times end to end through the
 * CLI). One operation = one whole corpus.
 *
 * <p>The corpus is synthetic and seeded: sentences of 5..40 words (mean about 22, a WMT-like length)
 * from a Zipf-distributed 20k-word vocabulary with capitalised words, numbers ({@code 1,000.50},
 * {@code 10-12}), hyphens, commas, quotes and a final period; the hypothesis drops, substitutes and
 * swaps about 20% of the reference's words.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseParallelGC", "-Xmx4g", "-Xmn256m"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class BleuBench {

  @Param({"1000000"})
  public int lines;

  private List<String> hyps;
  private List<List<String>> refs;

  @Setup(Level.Trial)
  public void makeCorpus() {
    hyps = new ArrayList<>(lines);
    List<String> ref = new ArrayList<>(lines);
    generate(lines, hyps, ref);
    refs = List.of(ref);
  }

  /** Writes the corpus as UTF-8 files: {@code WriteCorpus LINES HYP REF} (for bleu-bench.sh). */
  public static final class WriteCorpus {
    public static void main(String[] args) throws java.io.IOException {
      int n = Integer.parseInt(args[0]);
      List<String> h = new ArrayList<>(n);
      List<String> r = new ArrayList<>(n);
      generate(n, h, r);
      java.nio.file.Files.write(java.nio.file.Path.of(args[1]), h);
      java.nio.file.Files.write(java.nio.file.Path.of(args[2]), r);
    }
  }

  /** The seeded synthetic corpus: {@code lines} hypotheses and references. */
  static void generate(int lines, List<String> hyps, List<String> ref) {
    SplittableRandom rnd = new SplittableRandom(2024);
    String[] vocab = new String[20000];
    for (int i = 0; i < vocab.length; i++) {
      vocab[i] = word(rnd, i);
    }
    List<String> words = new ArrayList<>();
    for (int l = 0; l < lines; l++) {
      words.clear();
      int n = 5 + rnd.nextInt(36);
      for (int i = 0; i < n; i++) {
        words.add(decorate(rnd, vocab[zipf(rnd, vocab.length)], i == 0));
      }
      ref.add(String.join(" ", words) + ".");
      List<String> h = new ArrayList<>();
      for (String w : words) {
        double r = rnd.nextDouble();
        if (r < 0.08) {
          continue;
        }
        h.add(r < 0.16 ? vocab[zipf(rnd, vocab.length)] : w);
      }
      if (h.size() > 3 && rnd.nextDouble() < 0.3) {
        int j = rnd.nextInt(h.size() - 1);
        String t = h.get(j);
        h.set(j, h.get(j + 1));
        h.set(j + 1, t);
      }
      hyps.add(String.join(" ", h) + ".");
    }
  }

  private static String word(SplittableRandom rnd, int i) {
    StringBuilder sb = new StringBuilder();
    int len = 2 + rnd.nextInt(9);
    for (int k = 0; k < len; k++) {
      sb.append((char) ('a' + rnd.nextInt(26)));
    }
    if (i % 97 == 0) {
      sb.append('ä');
    }
    return sb.toString();
  }

  private static String decorate(SplittableRandom rnd, String w, boolean first) {
    double r = rnd.nextDouble();
    if (first || r < 0.1) {
      w = Character.toUpperCase(w.charAt(0)) + w.substring(1);
    }
    if (r < 0.06) {
      return w + ",";
    }
    if (r < 0.07) {
      return "\"" + w + "\"";
    }
    if (r < 0.08) {
      return w + "-" + w;
    }
    if (r < 0.09) {
      return rnd.nextBoolean() ? "1,000.50" : "10-12";
    }
    return w;
  }

  /** An index in [0, n) with probability roughly proportional to 1/(rank+1). */
  private static int zipf(SplittableRandom rnd, int n) {
    return (int) Math.min(n - 1, Math.floor(Math.exp(rnd.nextDouble() * Math.log(n + 1.0))) - 1);
  }

  @Benchmark
  public double bleu13a() {
    return new Bleu(Bleu.Options.DEFAULT).corpusScore(hyps, refs).score();
  }

  @Benchmark
  public double bleuIntl() {
    return new Bleu(Bleu.Options.DEFAULT.withTokenizer(BleuTokenizer.INTL))
        .corpusScore(hyps, refs)
        .score();
  }

  @Benchmark
  public double chrf() {
    return new Chrf(Chrf.Options.DEFAULT).corpusScore(hyps, refs).score();
  }

  @Benchmark
  public double chrfPlusPlus() {
    return new Chrf(Chrf.Options.CHRF_PLUS_PLUS).corpusScore(hyps, refs).score();
  }
}
