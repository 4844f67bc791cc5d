package dev.jnmt.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.model.GemmPrecision;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The translate job on local[2] against {@code jnmt translate} with the same options. */
class TranslateJobTest {

  @TempDir Path tmp;

  /** 300 lines in two files, with the CLI's edge cases: blank, CRLF, invalid UTF-8, no final '\n'. */
  private Path[] inputs() throws Exception {
    List<String> en = Files.readAllLines(LocalSpark.TEST_EN);
    Path in = Files.createDirectories(tmp.resolve("in"));
    ByteArrayOutputStream a = new ByteArrayOutputStream();
    for (int i = 0; i < 240; i++) {
      a.writeBytes((en.get(i) + (i % 7 == 3 ? "\r\n" : "\n")).getBytes(StandardCharsets.UTF_8));
      if (i == 100) {
        a.writeBytes("\n   \n\t\n".getBytes(StandardCharsets.UTF_8));
        a.writeBytes(new byte[] {'A', ' ', (byte) 0xff, 'd', 'o', 'g', ' ', (byte) 0xc3, '.', '\n'});
        a.writeBytes("Two men\rare talking.\n".getBytes(StandardCharsets.UTF_8));
      }
    }
    a.writeBytes("A woman is reading a book.".getBytes(StandardCharsets.UTF_8)); // no final '\n'
    Files.write(in.resolve("a.en"), a.toByteArray());
    StringBuilder b = new StringBuilder();
    for (int i = 240; i < 295; i++) {
      b.append(en.get(i)).append('\n');
    }
    b.append('\n');
    Files.writeString(in.resolve("b.en"), b);
    return new Path[] {in.resolve("a.en"), in.resolve("b.en")};
  }

  @Test
  void translationsAreTheClisLineForLine() throws Exception {
    Path[] in = inputs();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
    TranslateSettings s =
        new TranslateSettings(
            ModelRef.shared(LocalSpark.MODEL.toString()), GemmPrecision.FLOAT32, 2, null, 8);
    Path out = tmp.resolve("out/parts");
    TranslateJob.Result r =
        TranslateJob.run(
            sc,
            new TranslateJob.Request(
                List.of(in[0].getParent().toString()), out.toString(), s, false, 3000));
    assertEquals(2, r.files());
    assertTrue(r.tasks() >= 6, "small splits give several tasks per file: " + r.tasks());
    Path merged = tmp.resolve("out/merged");
    TranslateJob.run(
        sc,
        new TranslateJob.Request(
            List.of(in[0].toString(), in[1].toString()), merged.toString(), s, true, 3000));

    for (Path input : in) {
      Path cliOut = tmp.resolve(input.getFileName() + ".cli.de");
      LocalSpark.cli(
          "translate", "--quiet", "-m", LocalSpark.MODEL.toString(), "-i", input.toString(), "-o",
          cliOut.toString(), "--beam-size", "2", "--mini-batch", "8", "--cpu-threads", "2");
      byte[] expected = Files.readAllBytes(cliOut);
      String name = input.getFileName().toString();
      assertArrayEquals(expected, LocalSpark.output(out, name), name + " (parts)");
      assertArrayEquals(expected, LocalSpark.output(merged, name), name + " (merged)");
    }
    // 240 sentences, 3 blank lines, 2 odd ones, the last without '\n': 246 output lines
    assertEquals(246, new String(LocalSpark.output(out, "a.en"), StandardCharsets.UTF_8).split("\n", -1).length - 1);
    assertEquals(56, new String(LocalSpark.output(out, "b.en"), StandardCharsets.UTF_8).split("\n", -1).length - 1);
    // Two jobs, many tasks on two task threads: the model was loaded once in this JVM.
    assertEquals(1, ExecutorTranslators.loads());
    // Nothing but the outputs (and Hadoop's checksum sidecars) in the output, nothing new in the input.
    for (String f : LocalSpark.tree(tmp.resolve("out"))) {
      assertTrue(
          f.matches("(parts/[ab]\\.en/(\\.?part-\\d{5}(\\.crc)?|\\.?_SUCCESS(\\.crc)?))|(merged/[ab]\\.en)"),
          "unexpected file in the output: " + f);
    }
    assertEquals(List.of("a.en", "b.en"), LocalSpark.tree(in[0].getParent()));
  }

  @Test
  void theCommandLineWithAShortlistIsTheClis() throws Exception {
    Path[] in = inputs();
    LocalSpark.session();
    String shortlist = LocalSpark.MODEL.resolve("lex.50.50.s2t.bin").toString();
    Path out = tmp.resolve("sl");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        SparkMain.run(
            new String[] {
              "translate", "-m", LocalSpark.MODEL.toString(), "-i", in[1].toString(), "-o", out.toString(),
              "--merge", "-b", "2", "--shortlist", shortlist, "--max-split-bytes", "2000"
            },
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("jnmt-spark translate: 56 lines from 1 file(s)"), err.toString());
    Path cliOut = tmp.resolve("sl.cli.de");
    LocalSpark.cli(
        "translate", "--quiet", "-m", LocalSpark.MODEL.toString(), "-i", in[1].toString(), "-o", cliOut.toString(),
        "-b", "2", "--shortlist", shortlist);
    assertArrayEquals(Files.readAllBytes(cliOut), LocalSpark.output(out, "b.en"));
    assertEquals(List.of("b.en"), LocalSpark.tree(out));
    // the default precision (the checkpoint's: float32) shares the float32 translator
    assertEquals(1, ExecutorTranslators.loads());
  }

  @Test
  void errorsAreOneLineAndLeaveNothingBehind() throws Exception {
    Path[] in = inputs();
    LocalSpark.session();
    Path badModel = Files.createDirectories(tmp.resolve("bad-model"));
    Files.writeString(badModel.resolve("config.json"), "{ not json");
    Path out = tmp.resolve("res/out");
    String err = run("translate", "-m", badModel.toString(), "-i", in[0].toString(), "-o", out.toString());
    assertTrue(err.startsWith("jnmt-spark: model " + badModel), err);
    assertFalse(Files.exists(out));

    err = run("translate", "-m", LocalSpark.MODEL.toString(), "-i", tmp.resolve("nope.en").toString(), "-o", out.toString());
    assertEquals("jnmt-spark: input " + tmp.resolve("nope.en") + ": no such file or directory", err);
    assertFalse(Files.exists(out));

    // the library's setting checks, rendered with jnmt-spark's flags
    String[][] settings = {
      {"--gemm-precision", "fp64", "--gemm-precision 'fp64' is not one of: float32, int16, int8, int8shift"},
      {"--shortlist", "lex.s2t", "7", "--shortlist takes FILE [FIRST BEST [THRESHOLD]], got 2 value(s): [lex.s2t, 7]"},
      {"-b", "0", "--beam-size must be at least 1, got 0"},
      {"--max-length", "1", "--max-length must be at least 2 (it counts the decoder start token), got 1"},
      {"--mini-batch", "0", "--mini-batch must be at least 1, got 0"},
    };
    for (String[] c : settings) {
      List<String> args = new java.util.ArrayList<>(List.of("translate", "-m", LocalSpark.MODEL.toString(), "-i", in[0].toString(), "-o", out.toString()));
      args.addAll(List.of(c).subList(0, c.length - 1));
      assertEquals("jnmt-spark: " + c[c.length - 1], run(args.toArray(String[]::new)));
      assertFalse(Files.exists(out));
    }

    Files.createDirectories(out);
    err = run("translate", "-m", LocalSpark.MODEL.toString(), "-i", in[1].toString(), "-o", out.toString());
    assertEquals("jnmt-spark: output " + out + " already exists; refusing to overwrite it", err);
    assertEquals(List.of(), LocalSpark.tree(tmp.resolve("res")));
  }

  /** Runs the command line in-process; returns its stderr, which must be a single line, and rc 1. */
  static String run(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc = SparkMain.run(args, new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, rc, text);
    assertEquals(1, text.lines().count(), "one line: " + text);
    return text.strip();
  }
}
