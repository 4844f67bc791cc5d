package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jnmt bleu} end to end through {@link Main#execute}, capturing stdout and stderr. */
class BleuCommandTest {

  @TempDir Path tmp;

  private final PrintStream origOut = System.out;
  private final PrintStream origErr = System.err;
  private final InputStream origIn = System.in;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setOut(origOut);
    System.setErr(origErr);
    System.setIn(origIn);
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String file(String name, String content) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p.toString();
  }

  private static final String SIG = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0";

  @Test
  void defaultOutputIsSacrebleusJson() throws IOException {
    String ref = file("ref", "the cat sat on the mat\n");
    String hyp = file("hyp", "the cat sat on a mat\n");
    // 1-grams 5/6, 2-grams 3/5, 3-grams 2/4, 4-grams 1/3 -> (5/6 * 3/5 * 2/4 * 1/3)^(1/4)
    assertEquals(0, Main.execute("bleu", ref, "-i", hyp));
    assertEquals(
        "{\n"
            + " \"name\": \"BLEU\",\n"
            + " \"score\": 53.7,\n"
            + " \"signature\": \"" + SIG + "\",\n"
            + " \"verbose_score\": \"83.3/60.0/50.0/33.3 (BP = 1.000 ratio = 1.000 hyp_len = 6"
            + " ref_len = 6)\",\n"
            + " \"nrefs\": \"1\",\n"
            + " \"case\": \"mixed\",\n"
            + " \"eff\": \"no\",\n"
            + " \"tok\": \"13a\",\n"
            + " \"smooth\": \"exp\",\n"
            + " \"version\": \"2.6.0\"\n"
            + "}\n",
        stdout());
    assertEquals("", stderr());
  }

  @Test
  void textScoreOnlyWidthAndStdin() throws IOException {
    String ref = file("ref", "the cat sat on the mat\n");
    System.setIn(new ByteArrayInputStream("the cat sat on a mat\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(0, Main.execute("bleu", ref, "-f", "text", "-w", "3"));
    assertEquals(
        "BLEU|" + SIG + " = 53.728 83.3/60.0/50.0/33.3 (BP = 1.000 ratio = 1.000 hyp_len = 6"
            + " ref_len = 6)\n",
        stdout());
    out.reset();
    System.setIn(new ByteArrayInputStream("the cat sat on a mat\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(0, Main.execute("bleu", ref, "--score-only"));
    assertEquals("53.7\n", stdout());
  }

  @Test
  void metricsAreSortedAndAlignedLikeSacrebleu() throws IOException {
    String ref = file("ref", "ab\n");
    String hyp = file("hyp", "abc\n");
    // -m consumes only metric names, so the reference can follow it
    assertEquals(0, Main.execute("bleu", "-m", "chrf", "bleu", ref, "-i", hyp, "-f", "text"));
    String[] lines = stdout().split("\n");
    assertEquals(2, lines.length);
    assertTrue(lines[0].startsWith("  BLEU|nrefs:1|"), lines[0]);
    assertTrue(
        lines[1].startsWith("chrF2|nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0 = "),
        lines[1]);
    assertEquals(lines[0].indexOf(" = "), lines[1].indexOf(" = "));
  }

  @Test
  void sentenceLevel() throws IOException {
    String ref = file("ref", "Hello there world\nx\n");
    String hyp = file("hyp", "Hello world\ny\n");
    assertEquals(0, Main.execute("bleu", ref, "-i", hyp, "-sl", "-b", "-w", "2"));
    assertEquals("42.89\n0.00\n", stdout());
  }

  @Test
  void lineCountMismatchIsOneLineNamingBothCounts() throws IOException {
    String ref = file("ref", "a\nb\nc\n");
    String hyp = file("hyp", "a\nb\n");
    assertEquals(1, Main.execute("bleu", ref, "-i", hyp));
    assertEquals("", stdout());
    assertEquals(
        "jnmt bleu: hypothesis " + hyp + " has 2 lines but reference " + ref + " has 3 lines\n",
        stderr());
  }

  @Test
  void onlyLfEndsALineInFilesWhileStdinAlsoSplitsOnCr() throws IOException {
    String ref = file("ref", "a b\rc d\n");
    String hyp = file("hyp", "a b\rc d\n");
    assertEquals(0, Main.execute("bleu", ref, "-i", hyp, "-b"));
    assertEquals("100.0\n", stdout());
    out.reset();
    System.setIn(new ByteArrayInputStream("a b\rc d\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(1, Main.execute("bleu", ref, "-b"));
    assertTrue(stderr().contains("has 2 lines but reference"), stderr());
  }

  @Test
  void usageErrorsExitWith2() throws IOException {
    String ref = file("ref", "a\n");
    assertEquals(2, Main.execute("bleu", ref, "-tok", "moses"));
    assertTrue(stderr().contains("invalid value for -tok: 'moses'"), stderr());
    assertEquals(2, Main.execute("bleu", ref, "-m", "meteor"));
    assertEquals(2, Main.execute("bleu", ref, "--no-such-flag"));
    assertEquals(2, Main.execute("bleu", ref, "-s", "exponential"));
  }

  @Test
  void runtimeErrorsExitWith1AndOneLine() throws IOException {
    String ref = file("ref", "a\n");
    String hyp = file("hyp", "a\n");
    assertEquals(1, Main.execute("bleu", ref, "-i", hyp, "-l", "en-ja"));
    assertEquals(
        "jnmt bleu: the 'ja-mecab' tokenizer is not available in jnmt bleu (it has 13a, intl, zh,"
            + " char, none); pass -tok\n",
        stderr());
    err.reset();
    assertEquals(1, Main.execute("bleu", tmp.resolve("missing").toString(), "-i", hyp));
    assertEquals("jnmt bleu: " + tmp.resolve("missing") + ": no such file\n", stderr());
    err.reset();
    assertEquals(1, Main.execute("bleu", "-i", hyp));
    assertEquals(1, stderr().lines().count());
  }

  @Test
  void targetLanguageZhPicksTheZhTokenizer() throws IOException {
    String ref = file("ref", "你好世界\n");
    String hyp = file("hyp", "你好世界\n");
    assertEquals(0, Main.execute("bleu", ref, "-i", hyp, "-l", "en-zh", "-f", "text"));
    assertTrue(stdout().startsWith("BLEU|nrefs:1|case:mixed|eff:no|tok:zh|smooth:exp|"), stdout());
    assertTrue(stdout().contains(" = 100.0 100.0/100.0/100.0/100.0 "), stdout());
  }

  @Test
  void chrfPlusPlusJsonAndMultipleReferences() throws IOException {
    String ref1 = file("ref1", "ab\n");
    String ref2 = file("ref2", "abc\n");
    String hyp = file("hyp", "abc\n");
    assertEquals(0, Main.execute("bleu", ref1, ref2, "-i", hyp, "-m", "chrf", "-cw", "2"));
    assertEquals(
        "{\n"
            + " \"name\": \"chrF2++\",\n"
            + " \"score\": 100.0,\n"
            + " \"signature\": \"nrefs:2|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0\",\n"
            + " \"nrefs\": \"2\",\n"
            + " \"case\": \"mixed\",\n"
            + " \"eff\": \"yes\",\n"
            + " \"nc\": \"6\",\n"
            + " \"nw\": \"2\",\n"
            + " \"space\": \"no\",\n"
            + " \"version\": \"2.6.0\"\n"
            + "}\n",
        stdout());
  }

  @Test
  void tabSeparatedReferencesWithNumRefs() throws IOException {
    String refs = file("refs", "a b c d\ta b c e\n");
    String hyp = file("hyp", "a b c e\n");
    assertEquals(0, Main.execute("bleu", refs, "-nr", "2", "-i", hyp, "-f", "text", "-b"));
    assertEquals("100.0\n", stdout());
    String bad = file("bad", "only one\n");
    assertEquals(1, Main.execute("bleu", bad, "-nr", "2", "-i", hyp));
    assertTrue(stderr().contains("line 1: expected 2 TAB-separated references, found 1"), stderr());
  }

  @Test
  void multiSystemJsonFromTabSeparatedStdin() throws IOException {
    String ref = file("ref", "a b c d\n");
    System.setIn(new ByteArrayInputStream("a b c d\ta b c x\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(0, Main.execute("bleu", ref, "-q"));
    assertEquals(
        "[\n    {\n        \"system\": \"System 1\",\n        \"BLEU\": \"100.0\"\n    },\n"
            + "    {\n        \"system\": \"System 2\",\n        \"BLEU\": \"59.5\"\n    }\n]\n",
        stdout());
  }

  @Test
  void statisticalTestsRejectWhatSacrebleuRejects() throws IOException {
    String ref = file("ref", "a b c\n");
    String h1 = file("h1", "a b c\n");
    String h2 = file("h2", "a b d\n");
    // a paired test needs a second system; -ci is for one system; sentence level has no tests
    assertEquals(1, Main.execute("bleu", ref, "-i", h1, "--paired-bs"));
    assertEquals(1, Main.execute("bleu", ref, "-i", h1, h2, "-ci"));
    assertEquals(1, Main.execute("bleu", ref, "-i", h1, "-sl", "-ci"));
    assertEquals(2, Main.execute("bleu", ref, "-i", h1, h2, "--paired-bs", "--paired-ar"));
    assertEquals(1, Main.execute("bleu", ref, "-i", h1, h2, "-f", "latex"));
    String[] errors = stderr().split("\n");
    assertTrue(errors.length >= 5, stderr());
    assertEquals("", stdout());
  }

  @Test
  void badSeedIsOneLineErrorAndNoneSeedsFromTheOs() throws IOException {
    String ref = file("ref", "a b c d\ne f g\n");
    String h1 = file("h1", "a b c d\ne f x\n");
    String h2 = file("h2", "a b x d\ne f g\n");
    CommandLine cl = Main.commandLine();
    BleuCommand cmd = cl.getSubcommands().get("bleu").getCommand();
    cmd.getenv = k -> k.equals("SACREBLEU_SEED") ? "twelve" : null;
    assertEquals(1, cl.execute("bleu", ref, "-i", h1, "-ci"));
    assertTrue(stderr().contains("SACREBLEU_SEED"), stderr());
    assertEquals("", stdout());
    cl = Main.commandLine();
    cmd = cl.getSubcommands().get("bleu").getCommand();
    cmd.getenv = k -> k.equals("SACREBLEU_SEED") ? "None" : null;
    assertEquals(0, cl.execute("bleu", ref, "-i", h1, h2, "--paired-bs", "-pbsn", "50", "-f", "text"));
    assertTrue(stdout().contains("|bs:50|seed:none|"), stdout());
  }

  @Test
  void terSentenceLevelAndMetricOrder() throws IOException {
    String ref = file("ref", "the cat sat on the mat\nA b\n");
    String hyp = file("hyp", "on the mat the cat sat\na b\n");
    assertEquals(0, Main.execute("bleu", ref, "-i", hyp, "-m", "ter", "-sl", "-b", "-w", "2"));
    // one shift of "on the mat"; lowercased by default
    assertEquals("16.67\n0.00\n", stdout());
    out.reset();
    assertEquals(0, Main.execute("bleu", ref, "-i", hyp, "-m", "ter", "bleu", "chrf", "-b", "-f", "text"));
    assertEquals(3, stdout().split("\n").length);
  }

  @Test
  void pairedTestFromStdinNamesSystemsAsSacrebleu() throws IOException {
    String ref = file("ref", "a b c d\ne f g h\ni j k\n");
    System.setIn(
        new ByteArrayInputStream(
            "a b c d\ta b x d\ne f g h\te f g\ni j k\ti j k\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(0, Main.execute("bleu", ref, "--paired-ar", "-parn", "100", "-f", "text", "-q"));
    String text = stdout();
    assertTrue(text.contains("\u2502 Baseline \u2502"), text);
    assertTrue(text.contains("\u2502 System 1 \u2502"), text);
    // sacrebleu recognises only "Baseline: <file>" as the baseline's name, so from stdin it prints none
    assertTrue(text.contains(" - Each system is pairwise compared to .\n"), text);
    assertTrue(text.contains("nrefs:1|ar:100|seed:12345|case:mixed|"), text);
  }
}
