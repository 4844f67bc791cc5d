package dev.jnmt.bench;

import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.Translator;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.shortlist.BatchColumns;
import dev.jnmt.decoder.shortlist.Shortlist;
import dev.jnmt.decoder.shortlist.ShortlistSpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Words per CPU-second with and without a lexical shortlist, in one JVM on one thread: per cell
 * (precision × beam × mini-batch) a warm-up pass of each variant, then {@code runs} interleaved rounds
 * (full, shortlist, full, shortlist, ...) timed with the decoding thread's CPU time (ThreadMXBean), so time
 * spent waiting for a core on a shared machine does not count. Prints one Markdown row per cell: medians,
 * the median of the per-round ratios, the mean number of output-layer columns per mini-batch and of
 * allowed ids per sentence, and whether both variants gave the same translations.
 *
 * <p>Usage: {@code ShortlistBench MODEL_DIR SHORTLIST INPUT LINES MAX_LENGTH|0 RUNS "float32 int8" "1 4" "1 32"}
 */
public final class ShortlistBench {

  private ShortlistBench() {}

  public static void main(String[] a) throws IOException {
    if (a.length != 9) {
      System.err.println("usage: ShortlistBench MODEL SHORTLIST INPUT LINES MAX_LENGTH|0 RUNS PRECISIONS BEAMS BATCHES");
      System.exit(2);
    }
    Path model = Path.of(a[0]);
    Path lexFile = Path.of(a[1]);
    List<String> lines = Files.readAllLines(Path.of(a[2]), StandardCharsets.UTF_8);
    lines = lines.subList(0, Math.min(lines.size(), Integer.parseInt(a[3])));
    int maxLength = Integer.parseInt(a[4]);
    int runs = Integer.parseInt(a[5]);
    long words = lines.stream().mapToLong(l -> l.isBlank() ? 0 : l.trim().split("\\s+").length).sum();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    System.out.println("| model | precision | beam | batch | full words/CPU-s | shortlist words/CPU-s | ratio | columns per batch | allowed per sentence | same output |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
    for (String pn : a[6].trim().split("\\s+")) {
      GemmPrecision p = GemmPrecision.fromName(pn);
      try (Translator t = Translator.load(model, new Translator.Settings(1, p))) {
        Shortlist lex = t.loadShortlist(ShortlistSpec.of(lexFile));
        List<int[]> src = new ArrayList<>();
        for (String l : lines) {
          src.add(t.tokenizer().encode(l));
        }
        for (String bs : a[7].trim().split("\\s+")) {
          for (String ms : a[8].trim().split("\\s+")) {
            int beam = Integer.parseInt(bs);
            int mb = Integer.parseInt(ms);
            TranslationOptions full = t.defaultOptions().withBeamSize(beam).withMiniBatch(mb);
            if (maxLength > 0) {
              full = full.withMaxLength(maxLength);
            }
            TranslationOptions sl = full.withShortlist(lex);
            List<String> outFull = t.translate(lines, full); // warm-up
            List<String> outSl = t.translate(lines, sl);
            double[] f = new double[runs];
            double[] s = new double[runs];
            double[] ratio = new double[runs];
            for (int r = 0; r < runs; r++) {
              long c0 = mx.getCurrentThreadCpuTime();
              t.translate(lines, full);
              long c1 = mx.getCurrentThreadCpuTime();
              t.translate(lines, sl);
              long c2 = mx.getCurrentThreadCpuTime();
              f[r] = words / ((c1 - c0) / 1e9);
              s[r] = words / ((c2 - c1) / 1e9);
              ratio[r] = s[r] / f[r];
              System.err.printf(Locale.ROOT, "%s %s beam %d batch %d round %d: full %.1f, shortlist %.1f words/CPU-s%n",
                  model.getFileName(), pn, beam, mb, r + 1, f[r], s[r]);
            }
            double[] sizes = columns(t, lex, src, mb, sl);
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.1f | %.1f | %.2f× | %.0f | %.0f | %s |%n",
                model.getFileName(), pn, beam, mb, median(f), median(s), median(ratio), sizes[0], sizes[1],
                outFull.equals(outSl) ? "yes" : countDiff(outFull, outSl) + " lines differ");
            System.out.flush();
          }
        }
      }
    }
  }

  /** Mean columns per mini-batch and allowed ids per sentence, batching as the Translator does on one thread. */
  static double[] columns(Translator t, Shortlist lex, List<int[]> src, int mb, TranslationOptions o) {
    Integer[] order = new Integer[src.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Integer.compare(src.get(x).length, src.get(y).length));
    long cols = 0;
    int batches = 0;
    long allowed = 0;
    for (int start = 0; start < order.length; start += mb) {
      int end = Math.min(order.length, start + mb);
      int[][] ids = new int[end - start][];
      for (int i = start; i < end; i++) {
        ids[i - start] = src.get(order[i]);
        allowed += t.shortlistSize(ids[i - start], o);
      }
      // the always-allowed ids do not change the union much; shortlistSize includes them per sentence
      cols += BatchColumns.of(lex, ids, alwaysIds(t)).columnCount();
      batches++;
    }
    return new double[] {(double) cols / batches, (double) allowed / src.size()};
  }

  static int[] alwaysIds(Translator t) {
    var spec = t.model().spec();
    return new int[] {spec.eosTokenId(), spec.padTokenId(), spec.decoderStartTokenId(), 1};
  }

  static int countDiff(List<String> a, List<String> b) {
    int n = 0;
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equals(b.get(i))) {
        n++;
      }
    }
    return n;
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
  }
}
