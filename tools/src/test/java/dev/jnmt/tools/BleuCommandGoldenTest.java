package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.bleu.GoldenFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays every sacrebleu 2.6.0 command line of {@code test-data/bleu/cli.tsv} (300 adversarial
 * segments, one and two references, BLEU and chrF options, text/JSON, corpus and sentence level)
 * and compares stdout byte for byte.
 */
class BleuCommandGoldenTest {

  @Test
  void everyRecordedSacrebleuCommandPrintsTheSame() throws IOException {
    Path dir = GoldenFiles.dir();
    List<List<String>> rows = GoldenFiles.tsv("cli.tsv");
    assertTrue(rows.size() >= 60, "cli.tsv has " + rows.size() + " rows");
    PrintStream orig = System.out;
    try {
      for (List<String> row : rows) {
        List<String> argv = GoldenFiles.jsonStringArray(row.get(0));
        String expected = GoldenFiles.jsonString(row.get(1));
        String[] args = new String[argv.size() + 1];
        args[0] = "bleu";
        for (int i = 0; i < argv.size(); i++) {
          String a = argv.get(i);
          args[i + 1] = a.startsWith("fuzz.") ? dir.resolve(a).toString() : a;
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc = Main.execute(args);
        System.setOut(orig);
        assertEquals(0, rc, () -> "rc of " + argv);
        assertEquals(expected, buf.toString(StandardCharsets.UTF_8), () -> "output of " + argv);
      }
    } finally {
      System.setOut(orig);
    }
  }
}
