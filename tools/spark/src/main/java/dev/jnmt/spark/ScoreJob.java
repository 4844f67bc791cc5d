package dev.jnmt.spark;

import dev.jnmt.bleu.Bleu;
import dev.jnmt.bleu.Chrf;
import dev.jnmt.bleu.Py;
import dev.jnmt.bleu.Score;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * Distributed corpus BLEU and chrF: each partition sums the exact integer sufficient statistics of its
 * segments (the n-gram matches and totals that sacrebleu sums), the sums are added up on the driver,
 * and the score is computed from them once, so the result is {@code jnmt bleu}'s to the last digit
 * whatever the partitioning. Hypotheses and references are right-stripped as sacrebleu's CLI does.
 */
public final class ScoreJob {

  private ScoreJob() {}

  /** Summed statistics, one array per metric of {@link ScoreSettings#order()}. */
  public record Stats(List<String> metrics, List<long[]> sums, int numRefs, long segments) {}

  /**
   * Scores a hypothesis file set against reference file sets (each a stream: one reference per line;
   * several {@code refs} entries = several references), each set being files, directories or globs
   * read in order as one corpus, lines split on '\n' and decoded strictly as UTF-8.
   */
  public static Stats scoreFiles(
      JavaSparkContext sc, List<String> hyps, List<List<String>> refs, ScoreSettings s) {
    Configuration conf = sc.hadoopConfiguration();
    List<JavaPairRDD<Long, String>> streams = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    List<List<String>> all = new ArrayList<>();
    all.add(hyps);
    all.addAll(refs);
    for (List<String> set : all) {
      JavaPairRDD<Long, String> lines = indexedLines(sc, conf, InputFiles.list(conf, set));
      streams.add(lines);
      names.add(String.join(",", set));
      counts.add(lines.count());
    }
    if (counts.getFirst() == 0) {
      throw new JobError(names.getFirst() + " contains no lines");
    }
    for (int r = 1; r < streams.size(); r++) {
      if (!counts.get(r).equals(counts.getFirst())) {
        throw new JobError(
            "hypothesis " + names.getFirst() + " has " + counts.getFirst() + " lines but reference "
                + names.get(r) + " has " + counts.get(r) + " lines");
      }
    }
    JavaPairRDD<Long, Tuple2<Integer, String>> tagged = null;
    for (int r = 0; r < streams.size(); r++) {
      int stream = r;
      JavaPairRDD<Long, Tuple2<Integer, String>> t =
          streams.get(r).mapValues(text -> new Tuple2<>(stream, text));
      tagged = tagged == null ? t : tagged.union(t);
    }
    int n = streams.size();
    JavaRDD<String[]> segments =
        tagged.groupByKey()
            .values()
            .map(
                parts -> {
                  String[] seg = new String[n];
                  for (Tuple2<Integer, String> p : parts) {
                    seg[p._1()] = p._2();
                  }
                  return seg;
                });
    return stats(segments, refs.size(), s);
  }

  /**
   * Scores a DataFrame: one row per segment, the hypothesis in {@code hypCol}, its references in
   * {@code refCols} (a null reference is dropped for that row, as sacrebleu does with None).
   */
  public static Stats scoreDataFrame(
      Dataset<Row> df, String hypCol, List<String> refCols, ScoreSettings s) {
    int h = df.schema().fieldIndex(hypCol);
    int[] r = refCols.stream().mapToInt(c -> df.schema().fieldIndex(c)).toArray();
    JavaRDD<String[]> segments =
        df.toJavaRDD()
            .map(
                row -> {
                  String[] seg = new String[1 + r.length];
                  seg[0] = row.isNullAt(h) ? "" : Py.rstrip(row.getString(h));
                  for (int i = 0; i < r.length; i++) {
                    seg[i + 1] = row.isNullAt(r[i]) ? null : Py.rstrip(row.getString(r[i]));
                  }
                  return seg;
                });
    return stats(segments, refCols.size(), s);
  }

  /** Sums the statistics of segments {@code [hyp, ref...]} per partition, then over partitions. */
  static Stats stats(JavaRDD<String[]> segments, int numRefs, ScoreSettings s) {
    List<String> metrics = s.order();
    List<long[]> zero = new ArrayList<>();
    for (String m : metrics) {
      zero.add(new long[m.equals("BLEU") ? s.bleu().statsSize() : s.chrf().statsSize()]);
    }
    JavaRDD<Tuple2<Long, List<long[]>>> perPartition =
        segments.mapPartitions((Iterator<String[]> it) -> partitionStats(it, metrics, s));
    Tuple2<Long, List<long[]>> total =
        perPartition.fold(new Tuple2<>(0L, zero), ScoreJob::add);
    return new Stats(metrics, total._2(), numRefs, total._1());
  }

  private static Iterator<Tuple2<Long, List<long[]>>> partitionStats(
      Iterator<String[]> it, List<String> metrics, ScoreSettings s) {
    Bleu bleu = metrics.contains("BLEU") ? s.bleu() : null;
    Chrf chrf = metrics.contains("CHRF") ? s.chrf() : null;
    List<long[]> acc = new ArrayList<>();
    for (String m : metrics) {
      acc.add(new long[m.equals("BLEU") ? bleu.statsSize() : chrf.statsSize()]);
    }
    long count = 0;
    List<String> refs = new ArrayList<>();
    while (it.hasNext()) {
      String[] seg = it.next();
      refs.clear();
      for (int i = 1; i < seg.length; i++) {
        refs.add(seg[i]);
      }
      if (refs.stream().allMatch(x -> x == null)) {
        throw new JobError("a segment has no reference");
      }
      for (int m = 0; m < metrics.size(); m++) {
        long[] st =
            metrics.get(m).equals("BLEU") ? bleu.segmentStats(seg[0], refs) : chrf.segmentStats(seg[0], refs);
        long[] a = acc.get(m);
        for (int k = 0; k < a.length; k++) {
          a[k] += st[k];
        }
      }
      count++;
    }
    return List.of(new Tuple2<>(count, acc)).iterator();
  }

  private static Tuple2<Long, List<long[]>> add(Tuple2<Long, List<long[]>> a, Tuple2<Long, List<long[]>> b) {
    List<long[]> out = new ArrayList<>();
    for (int m = 0; m < a._2().size(); m++) {
      long[] x = a._2().get(m).clone();
      long[] y = b._2().get(m);
      for (int k = 0; k < x.length; k++) {
        x[k] += y[k];
      }
      out.add(x);
    }
    return new Tuple2<>(a._1() + b._1(), out);
  }

  /** The scores of summed statistics. */
  public static List<Score> scores(Stats stats, ScoreSettings s) {
    List<Score> out = new ArrayList<>();
    for (int m = 0; m < stats.metrics().size(); m++) {
      out.add(
          stats.metrics().get(m).equals("BLEU")
              ? s.bleu().score(stats.sums().get(m))
              : s.chrf().score(stats.sums().get(m)));
    }
    return out;
  }

  /** What {@code jnmt bleu} prints for one system (sacrebleu's {@code print_single_results}). */
  public static String report(Stats stats, ScoreSettings s) {
    boolean json = s.format().equals("json");
    List<String> results = new ArrayList<>();
    List<Score> scores = scores(stats, s);
    for (int m = 0; m < scores.size(); m++) {
      String sig =
          (stats.metrics().get(m).equals("BLEU") ? s.bleu().signature(stats.numRefs()) : s.chrf().signature(stats.numRefs()))
              .format(s.shortSignature() && !json);
      results.add(scores.get(m).format(s.width(), s.scoreOnly(), sig, json));
    }
    StringBuilder out = new StringBuilder();
    if (json) {
      out.append(results.size() > 1 ? "[\n" + String.join(",\n", results) + "\n]" : results.getFirst());
      return out.append('\n').toString();
    }
    if (results.size() == 1) {
      return results.getFirst() + "\n";
    }
    List<String> aligned = new ArrayList<>();
    List<Integer> lens = new ArrayList<>();
    for (String line : results) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        out.append(line).append('\n');
      } else {
        aligned.add(line);
        lens.add(eq - 1);
      }
    }
    int w = lens.stream().mapToInt(Integer::intValue).max().orElse(0);
    for (int i = 0; i < aligned.size(); i++) {
      String left = aligned.get(i).substring(0, lens.get(i));
      out.append(" ".repeat(Math.max(0, w - left.length()))).append(aligned.get(i)).append('\n');
    }
    return out.toString();
  }

  /** The lines of a file set in order, numbered from 0, right-stripped, strictly decoded. */
  private static JavaPairRDD<Long, String> indexedLines(
      JavaSparkContext sc, Configuration conf, List<FileStatus> files) {
    List<JavaRDD<String>> parts = new ArrayList<>();
    for (FileStatus f : files) {
      String name = f.getPath().toString();
      parts.add(
          InputFiles.lines(sc, conf, f, 64L << 20)
              .map(
                  r -> {
                    try {
                      return Py.rstrip(
                          StandardCharsets.UTF_8
                              .newDecoder()
                              .onMalformedInput(CodingErrorAction.REPORT)
                              .onUnmappableCharacter(CodingErrorAction.REPORT)
                              .decode(ByteBuffer.wrap(r._2().getBytes(), 0, r._2().getLength()))
                              .toString());
                    } catch (CharacterCodingException e) {
                      throw new LineError(name, r._1().get(), "invalid utf-8", e);
                    }
                  }));
    }
    @SuppressWarnings("unchecked") // JavaSparkContext.union takes a generic varargs array
    JavaRDD<String> all = parts.size() == 1 ? parts.getFirst() : sc.union(parts.toArray(JavaRDD[]::new));
    return all.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()));
  }
}
