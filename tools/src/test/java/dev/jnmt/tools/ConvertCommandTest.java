package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code jnmt convert} end to end on the tiny model, then {@code jnmt info} and {@code jnmt translate} on its output. */
class ConvertCommandTest {

  static final Path TINY = Path.of("../decoder/src/test/resources/tiny-random");

  @TempDir Path tmp;
  Path src;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void copyModel() throws IOException {
    src = tmp.resolve("float");
    Files.createDirectories(src);
    try (Stream<Path> s = Files.list(TINY)) {
      for (Path p : s.toList()) {
        Files.copy(p, src.resolve(p.getFileName()));
      }
    }
  }

  @Test
  void convertsThenInfoAndTranslateUseTheResult() throws IOException {
    Path out = tmp.resolve("int8");
    Run r = run("convert", "-f", src.toString(), "-t", out.toString(), "--to", "int8");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out(), "data only on stdout, logs on stderr");
    assertTrue(r.err().contains("jnmt convert: wrote " + out + ": int8, 33 quantized matrices, 0 activation scales"), r.err());

    Run info = run("info", out.toString());
    assertEquals(0, info.code(), info.err());
    assertTrue(info.out().contains("format: Hugging Face MarianMT, safetensors (1 file), jnmt int8 (format version 1)\n"), info.out());
    assertTrue(info.out().contains("precision: int8 weights: 33 quantized matrices, output layer quantized, dynamic activation scales;"
        + " runs with int8 (default), int8shift; tensors mixed: I8 33 tensors"), info.out());
    assertTrue(info.out().contains("jnmt_tool=jnmt convert "), info.out());

    Path text = tmp.resolve("in.en");
    Files.writeString(text, "A man in an orange hat.\nTwo dogs play.\n");
    Path de = tmp.resolve("out.de");
    Run t = run("translate", "-m", out.toString(), "-i", text.toString(), "-o", de.toString(), "-b", "2", "--max-length", "12");
    assertEquals(0, t.code(), t.err());
    assertTrue(t.err().contains(", int8; model loaded"), "an int8 file runs with int8 by default: " + t.err());
    assertEquals(2, Files.readAllLines(de).size());
    Run f = run("translate", "-m", out.toString(), "-i", text.toString(), "--gemm-precision", "float32");
    assertEquals(1, f.code());
    assertEquals(1, f.err().lines().count(), f.err());
    assertTrue(f.err().contains("stored as int8; run it with --gemm-precision int8 or int8shift"), f.err());

    Run again = run("convert", "-f", src.toString(), "-t", out.toString(), "--to", "annotated", "--calibrate", text.toString(),
        "--calibrate-beam", "1", "--force", "--quiet");
    assertEquals(0, again.code(), again.err());
    assertEquals("", again.err());
    Run info2 = run("info", out.toString());
    assertTrue(info2.out().contains("jnmt annotated (format version 1)"), info2.out());
    assertTrue(info2.out().contains("33 static activation scales"), info2.out());
    for (String p : new String[] {"float32", "int16", "int8", "int8shift"}) {
      Run tp = run("translate", "-m", out.toString(), "-i", text.toString(), "--gemm-precision", p, "--max-length", "8", "--quiet");
      assertEquals(0, tp.code(), p + ": " + tp.err());
    }
  }

  @Test
  void usageAndInputErrorsAreOneLine() throws IOException {
    Run bad = run("convert", "-f", src.toString(), "-t", tmp.resolve("x").toString(), "--to", "int4");
    assertEquals(2, bad.code());
    assertEquals("jnmt convert: --to 'int4' is not one of: annotated, int8, int16\n", bad.err());
    assertEquals(2, run("convert", "-f", src.toString(), "--to", "int8").code(), "-t is required");
    Run same = run("convert", "-f", src.toString(), "-t", src.toString(), "--to", "int8");
    assertEquals(1, same.code());
    assertEquals(1, same.err().lines().count(), same.err());
    assertTrue(same.err().contains("refusing to overwrite it"), same.err());
    Run missing = run("convert", "-f", tmp.resolve("nope").toString(), "-t", tmp.resolve("y").toString(), "--to", "int8");
    assertEquals(1, missing.code());
    assertEquals(1, missing.err().lines().count(), missing.err());
    Run calib = run("convert", "-f", src.toString(), "-t", tmp.resolve("y").toString(), "--to", "int8", "--calibrate", tmp.resolve("none.en").toString());
    assertEquals(1, calib.code());
    assertTrue(calib.err().contains("(--calibrate): no such file"), calib.err());
    assertEquals(2, run("convert", "-f", src.toString(), "-t", tmp.resolve("y").toString(), "--to", "int8", "--calibrate-beam", "2").code());
    assertFalse(Files.exists(tmp.resolve("y")));
  }
}
