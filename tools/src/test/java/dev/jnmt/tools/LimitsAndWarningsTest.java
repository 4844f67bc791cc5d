package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Items 5, 10-15 of issue 16: limits checked at load with one-line messages naming file and key,
 * over-long lines cut before tokenizing with one warning naming the input line, convert's -t inside -f
 * and undecodable calibration text, stale conversion directories.
 */
class LimitsAndWarningsTest {

  static final Path TINY = TranslateCommandTest.MODEL;

  @TempDir Path tmp;

  private Path copyModel(String name) throws IOException {
    Path dir = tmp.resolve(name);
    Files.createDirectories(dir);
    try (Stream<Path> s = Files.list(TINY)) {
      for (Path p : s.toList()) {
        Files.copy(p, dir.resolve(p.getFileName()));
      }
    }
    return dir;
  }

  private static void edit(Path file, String from, String to) throws IOException {
    String s = Files.readString(file);
    assertTrue(s.contains(from), file + " has no " + from);
    Files.writeString(file, s.replace(from, to));
  }

  @Test
  void configLimitsAreOneLineErrorsNamingFileAndKey() throws IOException {
    Path m = copyModel("pos");
    edit(m.resolve("config.json"), "\"max_position_embeddings\": 512", "\"max_position_embeddings\": 5000000");
    ConvertCommandTest.Run r = ConvertCommandTest.run("info", m.toString());
    assertEquals(1, r.code());
    assertEquals("jnmt info: " + m.resolve("config.json") + ": max_position_embeddings 5000000 is above the limit 65536\n",
        r.err().replace(System.lineSeparator(), "\n"));
    Path d = copyModel("dmodel");
    String cfg = Files.readString(d.resolve("config.json"));
    String dm = cfg.substring(cfg.indexOf("\"d_model\""), cfg.indexOf(',', cfg.indexOf("\"d_model\"")));
    edit(d.resolve("config.json"), dm, "\"d_model\": 1099511627776");
    ConvertCommandTest.Run r2 = ConvertCommandTest.run("info", d.toString());
    assertEquals(1, r2.code());
    assertTrue(r2.err().endsWith("config.json: d_model must be an integer from -2147483648 to 2147483647, got 1099511627776"
        + System.lineSeparator()), r2.err());
    Path g = copyModel("beams");
    Files.writeString(g.resolve("generation_config.json"), "{\"num_beams\": 1000000}");
    TranslateCommandTest.Run t = TranslateCommandTest.run("translate", "-m", g.toString(), "-b", "1");
    assertEquals(1, t.code());
    assertEquals("jnmt translate: " + g.resolve("generation_config.json") + ": num_beams 1000000 is above the limit 1024",
        t.err().strip());
  }

  @Test
  void overLongLinesGiveOneWarningWithTheInputLineNumber() {
    String longLine = "dog ".repeat(3000);
    byte[] in = ("a dog\n\n" + longLine + "\n").getBytes(StandardCharsets.UTF_8);
    TranslateCommandTest.Run r = TranslateCommandTest.run(in, "translate", "-m", TINY.toString(), "-b", "1",
        "--max-length", "4", "--quiet");
    assertEquals(0, r.code(), r.err());
    assertEquals(3, r.out().lines().count());
    List<String> warnings = r.err().lines().toList();
    assertEquals(1, warnings.size(), r.err());
    assertTrue(warnings.get(0).matches("jnmt translate: line 3: [0-9,]+ tokens, keeping the first 512"), warnings.get(0));
  }

  @Test
  void hugeLinesAreCutBeforeTokenizing() {
    int limit = 256 * 512;
    String huge = "x".repeat(limit * 3);
    byte[] in = ("a dog\n" + huge + "\nthe end\n").getBytes(StandardCharsets.UTF_8);
    TranslateCommandTest.Run r = TranslateCommandTest.run(in, "translate", "-m", TINY.toString(), "-b", "1",
        "--max-length", "4", "--quiet");
    assertEquals(0, r.code(), r.err());
    assertEquals(3, r.out().lines().count(), "line alignment kept");
    List<String> warnings = r.err().lines().toList();
    assertEquals(1, warnings.size(), r.err());
    assertTrue(warnings.get(0).matches(
        "jnmt translate: line 2: 393,216 bytes, keeping the first [0-9,]+ tokens of its first 131,072 bytes"), warnings.get(0));
  }

  @Test
  void lineReaderCutsAtACharacterBoundaryAndCountsTheFullLength() throws IOException {
    byte[] text = ("ab\u00e9\u00e9\u00e9x\nnext\n").getBytes(StandardCharsets.UTF_8); // é is 2 bytes
    try (TranslateLineReader r = new TranslateLineReader(new java.io.ByteArrayInputStream(text), 4)) {
      assertEquals("ab\u00e9", r.readLine());
      assertTrue(r.lastLineCut());
      assertEquals(9, r.lastLineBytes());
      try (TranslateLineReader r2 = new TranslateLineReader(new java.io.ByteArrayInputStream(text), 5)) {
        assertEquals("ab\u00e9", r2.readLine(), "half of the second é is dropped, not replaced");
      }
      assertEquals("next", r.readLine());
      assertFalse(r.lastLineCut());
    }
  }

  @Test
  void convertRefusesAnOutputInsideTheInputAndBadCalibrationText() throws IOException {
    Path m = copyModel("float");
    ConvertCommandTest.Run r = ConvertCommandTest.run("convert", "-f", m.toString(), "-t", m.resolve("sub").toString(),
        "--to", "int8");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("is inside the input directory"), r.err());
    assertFalse(Files.exists(m.resolve("sub")));
    Path bin = tmp.resolve("binary.bin");
    Files.write(bin, new byte[] {'o', 'k', '\n', 'a', (byte) 0xff, 'b', '\n'});
    ConvertCommandTest.Run c = ConvertCommandTest.run("convert", "-f", m.toString(), "-t", tmp.resolve("out").toString(),
        "--to", "int8", "--calibrate", bin.toString());
    assertEquals(1, c.code());
    assertEquals(1, c.err().lines().count(), c.err());
    assertTrue(c.err().contains(bin.toString()) && c.err().contains("line 2"), c.err());
    assertFalse(Files.exists(tmp.resolve("out")));
  }

  @Test
  void aDirectoryAsTextFileIsNamed() {
    IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
        () -> dev.jnmt.bleu.TextLines.readFile(tmp, StandardCharsets.UTF_8));
    assertEquals(tmp + ": Is a directory", e.getMessage());
  }

  @Test
  void staleConversionDirectoriesOfKilledRunsAreRemoved() throws IOException {
    Path m = copyModel("float");
    Path stale = tmp.resolve(".out.tmp-99999999-12345");
    Files.createDirectories(stale);
    Files.writeString(stale.resolve("model.safetensors"), "partial");
    ConvertCommandTest.Run c = ConvertCommandTest.run("convert", "-f", m.toString(), "-t", tmp.resolve("out").toString(),
        "--to", "int8");
    assertEquals(0, c.code(), c.err());
    assertFalse(Files.exists(stale));
    assertTrue(c.err().contains("removed " + stale + ", left by a conversion that was killed (PID 99999999)"), c.err());
    try (Stream<Path> s = Files.list(tmp)) {
      assertEquals(List.of(), s.filter(p -> p.getFileName().toString().contains(".tmp-")).toList());
    }
  }
}
