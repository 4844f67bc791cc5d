package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jnmt.spark.InputFiles;
import dev.jnmt.spark.TranslateLines;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job reads lines as {@code jnmt translate} does: random byte files (LF, CR, CRLF, invalid
 * UTF-8, empty lines, with and without a final '\n') read through Hadoop in small splits and decoded by
 * {@link TranslateLines} give exactly the lines of the CLI's {@link TranslateLineReader} (this test lives
 * in the CLI's package to reach it).
 */
class SparkLineRulesTest {

  @TempDir Path tmp;

  @Test
  void hadoopSplitsDecodeToTheClisLines() throws Exception {
    SparkSession spark = dev.jnmt.spark.LocalSpark.session();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Random rnd = new Random(15);
    byte[] alphabet = {'a', 'b', ' ', '\n', '\n', '\r', (byte) 0xc3, (byte) 0xa4, (byte) 0xff, (byte) 0xe2, (byte) 0x80, (byte) 0xa8};
    for (int round = 0; round < 12; round++) {
      int n = round == 0 ? 0 : round == 1 ? 1 : rnd.nextInt(5000);
      byte[] bytes = new byte[n];
      for (int i = 0; i < n; i++) {
        bytes[i] = alphabet[rnd.nextInt(alphabet.length)];
      }
      if (round == 2) {
        bytes = "\n\n".getBytes();
      }
      Path f = tmp.resolve("r" + round + ".txt");
      Files.write(f, bytes);
      List<String> cli = new ArrayList<>();
      try (TranslateLineReader r = new TranslateLineReader(new ByteArrayInputStream(bytes))) {
        for (String line; (line = r.readLine()) != null; ) {
          cli.add(line);
        }
      }
      var status = FileSystem.getLocal(sc.hadoopConfiguration()).getFileStatus(new org.apache.hadoop.fs.Path(f.toUri()));
      List<String> spark2 =
          InputFiles.lines(sc, sc.hadoopConfiguration(), status, 97 + rnd.nextInt(400))
              .map(t -> TranslateLines.decode(t._2().getBytes(), t._2().getLength()))
              .collect();
      assertEquals(cli, spark2, "round " + round + " (" + n + " bytes)");
    }
  }
}
