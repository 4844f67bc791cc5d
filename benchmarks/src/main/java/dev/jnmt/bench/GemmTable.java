package dev.jnmt.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a JMH JSON result of {@link GemmBench} into the Markdown GOPS table of BENCHMARKS.md, with the
 * Int8Shift/float32 ratio, the native intgemm reference numbers of issue 2, and the targets checked.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.jnmt.bench.GemmTable [--stat score|median|max|cpu] result.json</pre>
 *
 * <p>{@code score} (default) is JMH's score, the mean over measurement iterations; {@code median} and
 * {@code max} take the median or the best iteration instead, which say more about the code than the mean
 * does when other processes compete for the cores; {@code cpu} is the median over iterations of score /
 * cpu.util from {@link CpuTimeProfiler} (operations per CPU-second of the benchmark JVM).
 */
public final class GemmTable {
  /** Benchmark method → column title, in table order. */
  private static final Map<String, String> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put("float32", "float32");
    COLUMNS.put("int16", "Int16");
    COLUMNS.put("int8", "Int8");
    COLUMNS.put("int8Shift", "Int8Shift");
  }

  /**
   * Native intgemm Int8Shift GOPS on this machine kind (issue 2; same protocol: PrepareA + Multiply with
   * UnquantizeAndAddBiasAndWrite, B prepared once, one thread).
   */
  private static final Map<String, Double> NATIVE_INT8SHIFT =
      Map.of(
          "1x512x512", 150.0,
          "8x512x512", 162.0,
          "128x512x512", 162.0,
          "128x2048x512", 140.0,
          "1x512x32000", 88.0);

  private GemmTable() {}

  /** One measured cell: ops/s and its 99.9% error, as JMH reports them. */
  record Cell(double gops, double errorGops) {}

  /** M, K, N of a row; sorts by M, then by the order of the shapes in GemmBench. */
  record Shape(int m, int k, int n) implements Comparable<Shape> {
    String key() {
      return m + "x" + k + "x" + n;
    }

    double ops() {
      return 2.0 * m * k * n;
    }

    @Override
    public int compareTo(Shape o) {
      int c = Integer.compare(m, o.m);
      if (c != 0) {
        return c;
      }
      c = Long.compare((long) k * n, (long) o.k * o.n);
      return c != 0 ? c : Integer.compare(n, o.n);
    }
  }

  /** Which number of a JMH result goes into the table. */
  enum Stat {
    SCORE,
    MEDIAN,
    MAX,
    CPU
  }

  public static void main(String[] args) throws IOException {
    Stat stat = Stat.SCORE;
    int i = 0;
    if (args.length == 3 && args[0].equals("--stat")) {
      try {
        stat = Stat.valueOf(args[1].toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        System.err.println("GemmTable: --stat must be score, median, max or cpu, not " + args[1]);
        System.exit(2);
      }
      i = 2;
    }
    if (args.length != i + 1) {
      System.err.println("usage: GemmTable [--stat score|median|max|cpu] <jmh-result.json>");
      System.exit(2);
    }
    Path file = Path.of(args[i]);
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      System.err.println("GemmTable: cannot read " + file + ": " + e.getMessage());
      System.exit(1);
      return;
    }
    if (root == null || !root.isArray()) {
      System.err.println("GemmTable: " + file + " is not a JMH JSON result (expected an array)");
      System.exit(1);
      return;
    }
    System.out.print(render(root, stat));
  }

  /** All measurement iterations of one metric, in order. */
  private static double[] iterations(JsonNode metric) {
    List<Double> values = new ArrayList<>();
    for (JsonNode fork : metric.path("rawData")) {
      for (JsonNode v : fork) {
        values.add(v.asDouble());
      }
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double median(double[] x) {
    if (x.length == 0) {
      return Double.NaN;
    }
    double[] s = x.clone();
    java.util.Arrays.sort(s);
    return (s[(s.length - 1) / 2] + s[s.length / 2]) / 2;
  }

  /** Median over iterations of score / cpu.util; NaN when the run had no CpuTimeProfiler. */
  private static double perCpuSecond(JsonNode result, double[] its) {
    JsonNode util = result.path("secondaryMetrics").path("cpu.util");
    double[] u = iterations(util);
    if (u.length != its.length || u.length == 0) {
      return Double.NaN;
    }
    double[] ratio = new double[u.length];
    for (int i = 0; i < u.length; i++) {
      ratio[i] = its[i] / u[i];
    }
    return median(ratio);
  }

  static String render(JsonNode results, Stat stat) {
    Map<Shape, Map<String, Cell>> rows = new TreeMap<>();
    for (JsonNode r : results) {
      String bench = r.path("benchmark").asText();
      String method = bench.substring(bench.lastIndexOf('.') + 1);
      if (!bench.contains("GemmBench") || !COLUMNS.containsKey(method)) {
        continue;
      }
      JsonNode params = r.path("params");
      String[] kn = params.path("shape").asText().split("x");
      Shape s = new Shape(params.path("m").asInt(), Integer.parseInt(kn[0]), Integer.parseInt(kn[1]));
      JsonNode metric = r.path("primaryMetric");
      double[] its = iterations(metric);
      double perSecond =
          switch (stat) {
            case SCORE -> metric.path("score").asDouble();
            case MEDIAN -> median(its);
            case MAX -> java.util.Arrays.stream(its).max().orElse(Double.NaN);
            case CPU -> perCpuSecond(r, its);
          };
      // JMH's error belongs to the mean; it is shown for the mean only.
      double error = stat == Stat.SCORE ? metric.path("scoreError").asDouble() : 0;
      if (!metric.path("scoreUnit").asText().equals("ops/s")) {
        throw new IllegalArgumentException(bench + ": unit " + metric.path("scoreUnit").asText() + ", expected ops/s");
      }
      rows.computeIfAbsent(s, x -> new LinkedHashMap<>())
          .put(method, new Cell(perSecond * s.ops() / 1e9, Double.isNaN(error) ? 0 : error * s.ops() / 1e9));
    }
    StringBuilder out = new StringBuilder();
    out.append("| M×K×N |");
    for (String title : COLUMNS.values()) {
      out.append(' ').append(title).append(" |");
    }
    out.append(" Int8Shift / float32 | native Int8Shift | Int8Shift / native |\n|---|");
    out.append("---:|".repeat(COLUMNS.size() + 3)).append('\n');
    List<String> notes = new ArrayList<>();
    double minFloatLarge = Double.POSITIVE_INFINITY;
    double minRatioSmall = Double.POSITIVE_INFINITY;
    double minRatio128 = Double.POSITIVE_INFINITY;
    double minNative = Double.POSITIVE_INFINITY;
    for (Map.Entry<Shape, Map<String, Cell>> e : rows.entrySet()) {
      Shape s = e.getKey();
      Map<String, Cell> cells = e.getValue();
      out.append("| ").append(s.key()).append(" |");
      for (String method : COLUMNS.keySet()) {
        Cell c = cells.get(method);
        out.append(' ').append(c == null ? "–" : format(c)).append(" |");
      }
      Cell f = cells.get("float32");
      Cell q = cells.get("int8Shift");
      Double nat = NATIVE_INT8SHIFT.get(s.key());
      if (f != null && s.m() >= 8) {
        minFloatLarge = Math.min(minFloatLarge, f.gops());
      }
      if (f != null && q != null) {
        double ratio = q.gops() / f.gops();
        out.append(String.format(Locale.ROOT, " %.2f× |", ratio));
        if (s.m() <= 8) {
          minRatioSmall = Math.min(minRatioSmall, ratio);
        }
        if (s.m() == 128) {
          minRatio128 = Math.min(minRatio128, ratio);
        }
      } else {
        out.append(" – |");
      }
      out.append(nat == null ? " – |" : String.format(Locale.ROOT, " %.0f |", nat));
      if (nat != null && q != null) {
        out.append(String.format(Locale.ROOT, " %.0f%% |", 100 * q.gops() / nat));
        minNative = Math.min(minNative, q.gops() / nat);
      } else {
        out.append(" – |");
      }
      out.append('\n');
    }
    out.append('\n');
    out.append(
        switch (stat) {
          case SCORE -> "GOPS = 2·M·K·N / s (JMH score, the mean of the iterations; ±x% where JMH's 99.9% error"
              + " exceeds 5%). ";
          case MEDIAN -> "GOPS = 2·M·K·N / s (median iteration). ";
          case MAX -> "GOPS = 2·M·K·N / s (best iteration: the machine was shared, the best iteration is the"
              + " closest to an idle core). ";
          case CPU -> "GOPS = 2·M·K·N per CPU-second of the benchmark JVM (median over iterations of JMH score"
              + " / cpu.util; the machine was shared). ";
        });
    out.append("Native intgemm on this machine kind (issue 2): Int8Shift as listed, Int16 80–138, ");
    out.append("OpenBLAS sgemm ≤ 88.\n\n");
    addTarget(notes, "float32 ≥ 80 GFLOPS at M ≥ 8", minFloatLarge, 80, "min %.1f");
    addTarget(notes, "Int8Shift ≥ 1.5× float32 at M ≤ 8", minRatioSmall, 1.5, "min %.2f×");
    addTarget(notes, "Int8Shift ≥ 1.0× float32 at M = 128", minRatio128, 1.0, "min %.2f×");
    addTarget(notes, "Int8Shift ≥ 60% of native intgemm (shapes with a native number)", minNative, 0.6, "min %.2f");
    for (String note : notes) {
      out.append("- ").append(note).append('\n');
    }
    return out.toString();
  }

  private static void addTarget(List<String> notes, String target, double value, double goal, String fmt) {
    if (Double.isInfinite(value)) {
      notes.add(target + ": not measured");
    } else {
      notes.add(
          target + ": " + String.format(Locale.ROOT, fmt, value) + (value >= goal ? " — met" : " — NOT met"));
    }
  }

  private static String format(Cell c) {
    String v = String.format(Locale.ROOT, "%.1f", c.gops());
    double rel = c.gops() > 0 ? c.errorGops() / c.gops() : 0;
    return rel > 0.05 ? v + String.format(Locale.ROOT, " ±%.0f%%", 100 * rel) : v;
  }
}
