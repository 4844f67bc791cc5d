package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.bleu.GoldenFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Replays every sacrebleu 2.6.0 command line of {@code test-data/bleu/cli-stats.tsv} (written by
 * {@code generate_stats.py}): TER with every option, one and two references, sentence level,
 * {@code -m} combinations, {@code --confidence}, the paired bootstrap and approximate
 * randomization tests on four systems with their text tables and JSON, and {@code SACREBLEU_SEED}
 * values; stdout must be byte-identical.
 */
class BleuStatsGoldenTest {

  @Test
  void everyRecordedSacrebleuCommandPrintsTheSame() throws IOException {
    Path dir = GoldenFiles.dir();
    List<List<String>> rows = GoldenFiles.tsv("cli-stats.tsv");
    assertTrue(rows.size() >= 80, "cli-stats.tsv has " + rows.size() + " rows");
    PrintStream orig = System.out;
    List<String> failures = new java.util.ArrayList<>();
    try {
      for (List<String> row : rows) {
        Map<String, String> env = parseEnv(row.get(0));
        List<String> argv = GoldenFiles.jsonStringArray(row.get(1));
        String expected = GoldenFiles.jsonString(row.get(2));
        String[] args = new String[argv.size() + 1];
        args[0] = "bleu";
        for (int i = 0; i < argv.size(); i++) {
          args[i + 1] = argv.get(i);
        }
        CommandLine cl = Main.commandLine();
        BleuCommand cmd = cl.getSubcommands().get("bleu").getCommand();
        cmd.workDir = dir;
        cmd.getenv = env::get;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc = cl.execute(args);
        System.setOut(orig);
        String got = buf.toString(StandardCharsets.UTF_8);
        if (rc != 0 || !expected.equals(got)) {
          failures.add("rc " + rc + " for " + env + " " + argv + "\n" + firstDifference(expected, got));
        }
      }
    } finally {
      System.setOut(orig);
    }
    assertTrue(failures.isEmpty(), () -> failures.size() + " commands differ:\n" + String.join("\n", failures));
  }

  /** The first differing line of two outputs. */
  static String firstDifference(String expected, String got) {
    String[] e = expected.split("\n", -1);
    String[] g = got.split("\n", -1);
    for (int i = 0; i < Math.max(e.length, g.length); i++) {
      String a = i < e.length ? e[i] : "<none>";
      String b = i < g.length ? g[i] : "<none>";
      if (!a.equals(b)) {
        return "  line " + (i + 1) + ": expected <" + a + ">\n  line " + (i + 1) + ":      got <" + b + ">";
      }
    }
    return "  (same lines)";
  }

  /** {@code {}} or {@code {"K": "V", ...}} with plain string values. */
  private static Map<String, String> parseEnv(String json) {
    Map<String, String> env = new HashMap<>();
    String body = json.substring(1, json.length() - 1).trim();
    if (body.isEmpty()) {
      return env;
    }
    for (String pair : body.split(", ")) {
      int colon = pair.indexOf(": ");
      env.put(
          GoldenFiles.jsonString(pair.substring(0, colon)),
          GoldenFiles.jsonString(pair.substring(colon + 2)));
    }
    return env;
  }
}
