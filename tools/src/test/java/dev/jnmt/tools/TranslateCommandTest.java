package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.Translator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jnmt translate} on the decoder module's committed tiny random model. */
class TranslateCommandTest {

  static final Path MODEL = Path.of("../decoder/src/test/resources/tiny-random");

  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  /** Runs the CLI with stdin bytes, capturing System.out (data) and picocli's stderr writer. */
  static Run run(byte[] stdin, String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    InputStream oldIn = System.in;
    PrintStream oldOut = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setIn(new ByteArrayInputStream(stdin));
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      int code = cl.execute(args);
      System.out.flush();
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setIn(oldIn);
      System.setOut(oldOut);
    }
  }

  static Run run(String... args) {
    return run(new byte[0], args);
  }

  private static List<String> lines(String s) {
    List<String> out = new ArrayList<>(s.lines().toList());
    return out;
  }

  @Test
  void fileToFileMatchesTheLibraryAndKeepsEveryLine() throws IOException {
    Path in = tmp.resolve("in.en");
    List<String> src = List.of("Two dogs play in the snow.", "", "A man in an orange hat.", "   ", "The dog runs.");
    Files.write(in, src, StandardCharsets.UTF_8);
    Path out = tmp.resolve("out.de");
    Run r = run("translate", "-m", MODEL.toString(), "-i", in.toString(), "-o", out.toString(),
        "-b", "3", "--max-length", "20", "--cpu-threads", "2", "--mini-batch", "2");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out(), "nothing on stdout when -o is given");
    List<String> got = Files.readAllLines(out, StandardCharsets.UTF_8);
    try (Translator t = Translator.load(MODEL)) {
      List<String> want = t.translate(src, t.defaultOptions().withBeamSize(3).withMaxLength(20));
      assertEquals(want, got);
    }
    assertEquals("", got.get(1));
    assertEquals("", got.get(3));
    assertFalse(got.get(0).isEmpty());
    assertTrue(r.err().contains("5 sentences"), r.err());
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    try (var files = Files.list(tmp)) {
      assertEquals(2, files.count(), "no temporary file left behind");
    }
  }

  @Test
  void stdinToStdoutWithBrokenUtf8CrlfAndNoFinalNewline() {
    byte[] input = concat("A dog.\r\n".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff, (byte) 0xc3, 'x', '\n'},
        "\n".getBytes(StandardCharsets.UTF_8), "a\rb stray CR\n".getBytes(StandardCharsets.UTF_8),
        "last line".getBytes(StandardCharsets.UTF_8));
    Run r = run(input, "translate", "-m", MODEL.toString(), "-b", "1", "--max-length", "6", "--quiet");
    assertEquals(0, r.code(), r.err());
    List<String> out = lines(r.out());
    assertEquals(5, out.size(), "one output line per input line: " + r.out());
    assertTrue(r.out().endsWith("\n"));
    assertEquals("", out.get(2));
    try (Translator t = Translator.load(MODEL)) {
      List<String> want =
          t.translate(
              List.of("A dog.", "\uFFFD\uFFFDx", "", "a\rb stray CR", "last line"),
              t.defaultOptions().withBeamSize(1).withMaxLength(6));
      assertEquals(want, out, "invalid bytes become U+FFFD and the line is translated");
    }
    assertFalse(r.err().contains("sentences"), "--quiet suppresses the summary");
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  @Test
  void nBestPrintsMarianFormat() {
    Run r = run("Two dogs.\n\nA cat.\n".getBytes(StandardCharsets.UTF_8),
        "translate", "-m", MODEL.toString(), "-b", "3", "--n-best", "--max-length", "8");
    assertEquals(0, r.code(), r.err());
    List<String> out = lines(r.out());
    assertEquals(7, out.size(), r.out());
    assertTrue(out.get(0).startsWith("0 ||| "));
    assertTrue(out.get(0).matches("0 \\|\\|\\| .* \\|\\|\\| F0= -?[0-9.E-]+ \\|\\|\\| -?[0-9.E-]+"), out.get(0));
    assertEquals("1 |||  ||| F0= 0 ||| 0", out.get(3));
    assertTrue(out.get(6).startsWith("2 ||| "));
    Run two = run("Two dogs.\n".getBytes(StandardCharsets.UTF_8),
        "translate", "-m", MODEL.toString(), "-b", "3", "--n-best", "2", "--max-length", "8");
    assertEquals(2, lines(two.out()).size());
  }

  @Test
  void manyLinesStreamInBlocks() throws IOException {
    Path in = tmp.resolve("many.en");
    List<String> src = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      src.add(i % 7 == 0 ? "" : "line " + i + " with a dog");
    }
    Files.write(in, src, StandardCharsets.UTF_8);
    Path out = tmp.resolve("many.de");
    Run r = run("translate", "-m", MODEL.toString(), "-i", in.toString(), "-o", out.toString(),
        "-b", "1", "--max-length", "3", "--mini-batch", "4", "--cpu-threads", "1");
    assertEquals(0, r.code(), r.err());
    List<String> got = Files.readAllLines(out, StandardCharsets.UTF_8);
    assertEquals(700, got.size());
    for (int i = 0; i < 700; i += 7) {
      assertEquals("", got.get(i));
    }
  }

  @Test
  void twoThreadsOverlapBlocksAndKeepTheInputOrder() throws IOException {
    // 700 lines are three blocks of 256: each block is queued while the previous one decodes. The n-best
    // lines carry each source's own log-probability, so a line out of order would show.
    Path in = tmp.resolve("order.en");
    List<String> src = new ArrayList<>();
    String[] words = {"dog", "man", "woman", "child", "bike", "ball", "street", "house"};
    for (int i = 0; i < 700; i++) {
      src.add(i % 11 == 0 ? "" : "A " + words[i % 8] + " and " + (i % 5 + 2) + " " + words[(i / 8) % 8] + "s.");
    }
    Files.write(in, src, StandardCharsets.UTF_8);
    List<List<String>> outs = new ArrayList<>();
    for (String threads : new String[] {"1", "2"}) {
      Path out = tmp.resolve("order." + threads + ".de");
      Run r = run("translate", "-m", MODEL.toString(), "-i", in.toString(), "-o", out.toString(), "-b", "1",
          "--n-best", "--max-length", "8", "--mini-batch", "4", "--cpu-threads", threads);
      assertEquals(0, r.code(), r.err());
      outs.add(Files.readAllLines(out, StandardCharsets.UTF_8));
    }
    assertEquals(outs.get(0), outs.get(1));
    assertEquals(700, outs.get(1).size());
    java.util.Set<String> scores = new java.util.HashSet<>();
    for (String line : outs.get(1)) {
      scores.add(line.substring(line.indexOf("F0=")));
    }
    assertTrue(scores.size() > 100, "distinct scores: " + scores.size());
  }

  @Test
  void interactiveInputIsTranslatedLineByLine() throws Exception {
    java.io.PipedOutputStream feed = new java.io.PipedOutputStream();
    java.io.PipedInputStream stdin = new java.io.PipedInputStream(feed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream oldIn = System.in;
    PrintStream oldOut = System.out;
    System.setIn(stdin);
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      CommandLine cl = Main.commandLine();
      cl.setErr(new PrintWriter(new StringWriter()));
      Thread cli = new Thread(() -> cl.execute("translate", "-m", MODEL.toString(), "-b", "1", "--max-length", "4"));
      cli.start();
      feed.write("A dog.\n".getBytes(StandardCharsets.UTF_8));
      feed.flush();
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (out.size() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(out.size() > 0, "the first line was translated while stdin was still open");
      assertTrue(cli.isAlive());
      feed.write("Two cats.\n".getBytes(StandardCharsets.UTF_8));
      feed.close();
      cli.join(60_000);
      assertEquals(2, out.toString(StandardCharsets.UTF_8).lines().count());
    } finally {
      System.setIn(oldIn);
      System.setOut(oldOut);
    }
  }

  @Test
  void unavailablePrecisionIsAUsageError() {
    Run r = run("translate", "-m", MODEL.toString(), "--gemm-precision", "int8shiftAlpha");
    assertEquals(2, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("use int8 or int8shift"), r.err());
    Run u = run("translate", "-m", MODEL.toString(), "--gemm-precision", "fp64");
    assertEquals(2, u.code());
    assertEquals(1, u.err().lines().count(), u.err());
  }

  /** The library's checks (SettingChecks), their messages naming the flags: exit 2, one line, before loading. */
  @Test
  void settingErrorsNameTheFlag() {
    String[][] cases = {
      {"-b", "0", "--beam-size must be at least 1, got 0"},
      {"-b", "1025", "--beam-size 1025 is above the limit 1024"},
      {"--n-best", "-1", "--n-best must be at least 1, got -1"},
      {"--mini-batch", "0", "--mini-batch must be at least 1, got 0"},
      {"--mini-batch", "70000", "--mini-batch 70000 is above the limit 65536"},
      {"--cpu-threads", "0", "--cpu-threads must be at least 1, got 0"},
      {"--max-length", "1", "--max-length must be at least 2 (it counts the decoder start token), got 1"},
      {"--normalize", "NaN", "--normalize must be a finite number, got NaN"},
      {"--word-penalty", "Infinity", "--word-penalty must be a finite number, got Infinity"},
      {"--gemm-precision", "fp64", "--gemm-precision 'fp64' is not one of: float32, int16, int8, int8shift"},
      {"--shortlist", "lex.s2t", "x", "5", "--shortlist lex.s2t: FIRST 'x' is not an integer"},
      {"--shortlist", "lex.s2t", "5", "5", "2", "--shortlist lex.s2t: THRESHOLD must be in [0, 1), got 2.0"},
    };
    for (String[] c : cases) {
      List<String> args = new ArrayList<>(List.of("translate", "-m", "/nonexistent-model"));
      args.addAll(List.of(c).subList(0, c.length - 1));
      Run r = run(args.toArray(String[]::new));
      assertEquals(2, r.code(), r.err());
      assertEquals("jnmt translate: " + c[c.length - 1] + "\n", r.err().replace(System.lineSeparator(), "\n"));
    }
  }

  @Test
  void badValuesAreUsageErrors() {
    assertEquals(2, run("translate", "-m", MODEL.toString(), "-b", "0").code());
    assertEquals(2, run("translate", "-m", MODEL.toString(), "-b", "2", "--n-best", "3").code());
    assertEquals(2, run("translate", "-m", MODEL.toString(), "--max-length", "1").code());
    assertEquals(2, run("translate", "-m", MODEL.toString(), "--cpu-threads", "0").code());
    assertEquals(2, run("translate", "--no-such-option").code());
  }

  @Test
  void runtimeErrorsAreOneLineWithExitCodeOne() throws IOException {
    Run missingModel = run("translate", "-m", tmp.resolve("nope").toString());
    assertEquals(1, missingModel.code());
    assertEquals(1, missingModel.err().lines().count(), missingModel.err());
    assertTrue(missingModel.err().startsWith("jnmt translate: "));
    Run missingInput = run("translate", "-m", MODEL.toString(), "-i", tmp.resolve("absent.en").toString());
    assertEquals(1, missingInput.code());
    assertEquals(1, missingInput.err().lines().count(), missingInput.err());
    assertTrue(missingInput.err().contains("absent.en"), missingInput.err());
  }

  @Test
  void defaultModelIsTheShippedOneUnderJnmtHome() throws IOException {
    Path home = tmp.resolve("home");
    Path shipped = home.resolve(TranslateCommand.DEFAULT_MODEL);
    Files.createDirectories(shipped);
    try (var files = Files.list(MODEL)) {
      for (Path f : files.toList()) {
        Files.copy(f, shipped.resolve(f.getFileName()));
      }
    }
    String old = System.getProperty("jnmt.home");
    try {
      System.setProperty("jnmt.home", home.toString());
      Run ok = run("A dog.\n".getBytes(StandardCharsets.UTF_8), "translate", "-b", "1", "--max-length", "4");
      assertEquals(0, ok.code(), ok.err());
      assertEquals(1, lines(ok.out()).size());
      System.setProperty("jnmt.home", tmp.resolve("elsewhere").toString());
      Run missing = run("translate");
      assertEquals(1, missing.code());
      assertTrue(missing.err().contains("-m DIR"), missing.err());
      assertEquals(1, missing.err().lines().count(), missing.err());
    } finally {
      if (old == null) {
        System.clearProperty("jnmt.home");
      } else {
        System.setProperty("jnmt.home", old);
      }
    }
  }

  @Test
  void refusesToOverwriteItsInput() throws IOException {
    Path in = tmp.resolve("same.txt");
    Files.writeString(in, "A dog.\n");
    Run r = run("translate", "-m", MODEL.toString(), "-i", in.toString(), "-o", in.toString());
    assertEquals(2, r.code());
    assertEquals("A dog.\n", Files.readString(in));
  }

  @Test
  void countsWordsLikePythonSplit() {
    assertEquals(0, TranslateSummary.countWords("  \t "));
    assertEquals(3, TranslateSummary.countWords(" a  b\tc "));
    assertEquals(2, TranslateSummary.countWords("a\u00a0b"));
  }
}
