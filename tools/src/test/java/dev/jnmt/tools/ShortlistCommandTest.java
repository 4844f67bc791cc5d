package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.Translator;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.shortlist.ShortlistSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --shortlist} in {@code jnmt translate} and {@code jnmt info}, with the shipped model. */
class ShortlistCommandTest {

  static final Path MODEL = Path.of("../models/multi30k-en-de");
  static final Path BIN = MODEL.resolve("lex.50.50.s2t.bin");
  static final Path TEXT = MODEL.resolve("lex.s2t");
  static final byte[] INPUT = "A man in an orange hat starring at something.\n\nTwo dogs play in the snow.\n".getBytes(StandardCharsets.UTF_8);

  @TempDir Path tmp;

  @Test
  void nBestShowsTheSizeEachSentenceWasNormalisedOver() {
    TranslateCommandTest.Run r = TranslateCommandTest.run(INPUT,
        "translate", "-m", MODEL.toString(), "-b", "2", "--n-best", "--shortlist", BIN.toString(), "--quiet");
    assertEquals(0, r.code(), r.err());
    List<String> out = r.out().lines().toList();
    assertEquals(5, out.size(), r.out());
    int[] expected;
    try (Translator t = Translator.load(MODEL, new Translator.Settings(1, GemmPrecision.FLOAT32))) {
      TranslationOptions o = t.defaultOptions().withShortlist(t.loadShortlist(ShortlistSpec.of(BIN)));
      expected = new int[] {
        t.shortlistSize(t.tokenizer().encode("A man in an orange hat starring at something."), o),
        t.shortlistSize(t.tokenizer().encode("Two dogs play in the snow."), o)
      };
    }
    assertTrue(out.get(0).matches("0 \\|\\|\\| .+ \\|\\|\\| F0= -?[0-9.E-]+ Shortlist= " + expected[0] + " \\|\\|\\| -?[0-9.E-]+"), out.get(0));
    assertEquals("1 |||  ||| F0= 0 ||| 0", out.get(2));
    assertTrue(out.get(4).contains(" Shortlist= " + expected[1] + " ||| "), out.get(4));
    assertTrue(expected[0] > 50 && expected[0] < 8000, "size " + expected[0]);

    // the text table with the binary's parameters translates identically
    TranslateCommandTest.Run t = TranslateCommandTest.run(INPUT,
        "translate", "-m", MODEL.toString(), "-b", "2", "--n-best", "--shortlist", TEXT.toString(), "50", "50", "--quiet");
    assertEquals(r.out(), t.out());
  }

  @Test
  void badArgumentsAreUsageErrors() {
    for (String[] args : List.of(
        new String[] {"--shortlist", BIN.toString(), "50"},
        new String[] {"--shortlist", TEXT.toString(), "x", "50"},
        new String[] {"--shortlist", TEXT.toString(), "50", "50", "2"},
        new String[] {"--shortlist", "absent.s2t"})) {
      String[] full = new String[args.length + 3];
      full[0] = "translate";
      full[1] = "-m";
      full[2] = MODEL.toString();
      System.arraycopy(args, 0, full, 3, args.length);
      TranslateCommandTest.Run r = TranslateCommandTest.run(INPUT, full);
      assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().startsWith("jnmt translate: --shortlist"), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void corruptFileIsOneLineNamingItAndWritesNothing() throws IOException {
    byte[] b = Files.readAllBytes(BIN);
    b[60] ^= 0x10; // an offset: the checksum no longer matches
    Path bad = Files.write(tmp.resolve("lex.bin"), b);
    Path out = tmp.resolve("out.de");
    TranslateCommandTest.Run r = TranslateCommandTest.run(INPUT,
        "translate", "-m", MODEL.toString(), "--shortlist", bad.toString(), "-o", out.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().startsWith("jnmt translate: " + bad + ": checksum mismatch"), r.err());
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("jnmt")).count(), r.err());
    assertFalse(Files.exists(out));
    // a BEST a binary file cannot honour
    r = TranslateCommandTest.run(INPUT, "translate", "-m", MODEL.toString(), "--shortlist", BIN.toString(), "50", "20");
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains("BEST 20 cannot be applied"), r.err());
  }

  @Test
  void infoListsTheShippedShortlists() {
    InfoCommandTest.Run r = InfoCommandTest.run("info", MODEL.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("shortlist: " + BIN + " (Marian binary shortlist), first 50, best 50 (header); 145,890 pairs kept"), r.out());
    assertTrue(r.out().contains("shortlist: " + TEXT + " (text lexical table), first 100, best 100, threshold 0.0;"), r.out());
    InfoCommandTest.Run s = InfoCommandTest.run("info", MODEL.toString(), "--shortlist", TEXT.toString(), "20", "5", "0.1");
    assertEquals(0, s.code(), s.err());
    List<String> lines = s.out().lines().filter(l -> l.startsWith("shortlist: ")).toList();
    assertEquals(1, lines.size(), s.out());
    assertTrue(lines.get(0).contains("first 20, best 5, threshold 0.1; 7,551 pairs kept for 3,680 of 8,000 source ids"), lines.get(0));
  }
}
