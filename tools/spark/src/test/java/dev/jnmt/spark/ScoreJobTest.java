package dev.jnmt.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Distributed BLEU/chrF against {@code jnmt bleu}: the printed lines must be identical. */
class ScoreJobTest {

  @TempDir Path tmp;

  private static final String HYP = LocalSpark.BEAM4_DE.toString();
  private static final String REF = LocalSpark.TEST_DE.toString();
  private static final String REF2 =
      LocalSpark.ROOT.resolve("test-data/multi30k/test2016.jnmt.int8.greedy.de").toString();

  /** What {@code jnmt-spark score} prints on stdout (and its exit code must be 0). */
  private static String spark(String... args) {
    LocalSpark.session();
    PrintStream orig = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int rc = SparkMain.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
      assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(orig);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String[] concat(String[] a, String... b) {
    List<String> l = new ArrayList<>(List.of(a));
    l.addAll(List.of(b));
    return l.toArray(String[]::new);
  }

  @Test
  void scoresAndSignaturesAreJnmtBleus() {
    String[][] options = {
      {"-m", "bleu", "chrf", "-f", "text"},
      {"-m", "bleu", "chrf"},
      {"-m", "chrf", "-cw", "2", "-f", "text", "-sh"},
      {"-m", "bleu", "-tok", "intl", "-lc", "-f", "text", "-w", "2"},
      {"-m", "bleu", "-s", "floor", "-b"},
    };
    for (String[] o : options) {
      String cli = LocalSpark.cli(concat(new String[] {"bleu", REF, "-i", HYP}, o));
      assertTrue(cli.contains("BLEU") || cli.contains("chrF") || o[o.length - 1].equals("-b"), cli);
      assertEquals(cli, spark(concat(new String[] {"score", "-i", HYP, "-r", REF}, o)), String.join(" ", o));
    }
    // two references
    String cli2 = LocalSpark.cli("bleu", REF, REF2, "-i", HYP, "-m", "bleu", "chrf", "-f", "text");
    assertTrue(cli2.contains("nrefs:2"), cli2);
    assertEquals(cli2, spark("score", "-i", HYP, "-r", REF, "-r", REF2, "-m", "bleu", "chrf", "-f", "text"));
  }

  @Test
  void aFileSetScoresAsTheConcatenatedCorpus() throws Exception {
    List<String> hyp = Files.readAllLines(Path.of(HYP));
    Path dir = Files.createDirectories(tmp.resolve("hyp"));
    int[] cuts = {0, 137, 520, 1000};
    for (int i = 0; i + 1 < cuts.length; i++) {
      Files.writeString(
          dir.resolve("part" + i + ".de"), String.join("\n", hyp.subList(cuts[i], cuts[i + 1])) + "\n");
    }
    String cli = LocalSpark.cli("bleu", REF, "-i", HYP, "-m", "bleu", "chrf", "-f", "text");
    assertEquals(cli, spark("score", "-i", dir.toString(), "-r", REF, "-m", "bleu", "chrf", "-f", "text"));
  }

  @Test
  void aDataFrameScoresAsJnmtBleu() throws Exception {
    SparkSession spark = LocalSpark.session();
    List<String> hyp = Files.readAllLines(Path.of(HYP));
    List<String> ref = Files.readAllLines(Path.of(REF));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < hyp.size(); i++) {
      rows.add(RowFactory.create(hyp.get(i), ref.get(i)));
    }
    StructType schema =
        new StructType().add("hyp", DataTypes.StringType).add("ref", DataTypes.StringType);
    Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(5);
    ScoreSettings s = ScoreSettings.defaults().withMetrics("bleu", "chrf").withFormat("text");
    String cli = LocalSpark.cli("bleu", REF, "-i", HYP, "-m", "bleu", "chrf", "-f", "text");
    assertEquals(cli, ScoreJob.report(ScoreJob.scoreDataFrame(df, "hyp", List.of("ref"), s), s));
  }

  @Test
  void invalidUtf8NamesTheFileAndLine() throws Exception {
    LocalSpark.session();
    Path bad = tmp.resolve("bad.de");
    Files.write(bad, new byte[] {'a', '\n', 'b', '\n', 'c', (byte) 0xff, '\n', 'd', '\n'});
    Path ref = tmp.resolve("ref.de");
    Files.writeString(ref, "a\nb\nc\nd\n");
    String err = TranslateJobTest.run("score", "-i", bad.toString(), "-r", ref.toString());
    assertEquals("jnmt-spark: file:" + bad + ": line 3: invalid utf-8", err);
    Path shortRef = tmp.resolve("short.de");
    Files.writeString(shortRef, "a\nb\n");
    err = TranslateJobTest.run("score", "-i", ref.toString(), "-r", shortRef.toString());
    assertEquals(
        "jnmt-spark: hypothesis " + ref + " has 4 lines but reference " + shortRef + " has 2 lines", err);
  }
}
