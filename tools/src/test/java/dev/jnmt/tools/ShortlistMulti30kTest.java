package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.bleu.Bleu;
import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.Translator;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.shortlist.Shortlist;
import dev.jnmt.decoder.shortlist.ShortlistSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Quality of lexical-shortlist decoding: the shipped model with its shipped shortlist
 * ({@value #SHORTLIST}) on Multi30k test2016 (1,000 lines), beam 4, BLEU (sacrebleu 13a, cased) within
 * {@value #BOUND} of full-vocabulary decoding at the same precision, for float32 and int8; each variant's
 * output against its golden file {@code test2016.jnmt.<precision>.shortlist.beam4.de}, at most
 * {@value #LINE_BUDGET} differing lines. Full-vocabulary float32 beam 4 is the PyTorch reference's golden
 * output ({@code test2016.reference.beam4.de}, which GoldenMulti30kTest holds jnmt to); int8 is decoded
 * here. {@code -Djnmt.golden.update=true} rewrites the golden files (review the diff).
 */
@Tag("multi30k")
class ShortlistMulti30kTest {

  static final Path ROOT = Path.of("..");
  static final Path MODEL = ROOT.resolve("models/multi30k-en-de");
  static final Path DATA = ROOT.resolve("test-data/multi30k");
  static final String SHORTLIST = "lex.50.50.s2t.bin";
  static final double BOUND = 0.3;
  static final int LINE_BUDGET = 20;
  static final boolean UPDATE = Boolean.getBoolean("jnmt.golden.update");

  static List<String> source;
  static List<String> references;

  @BeforeAll
  static void setUp() throws IOException {
    assertTrue(Files.isRegularFile(MODEL.resolve("model.safetensors")), "the shipped model is missing: " + MODEL.toAbsolutePath().normalize());
    source = read("test2016.en");
    references = read("test2016.de");
  }

  static List<String> read(String name) throws IOException {
    Path p = DATA.resolve(name);
    assertTrue(Files.isRegularFile(p), "file missing: " + p.toAbsolutePath().normalize());
    return Files.readAllLines(p, StandardCharsets.UTF_8);
  }

  static double bleu(List<String> hyp) {
    return new Bleu(Bleu.Options.DEFAULT).corpusScore(hyp, List.of(references)).score();
  }

  static void log(String format, Object... args) {
    System.out.printf(Locale.ROOT, "ShortlistMulti30kTest: " + format + "%n", args);
  }

  /** Full-vocabulary and shortlist outputs at one precision (null full: not decoded). */
  static List<List<String>> translate(GemmPrecision p, boolean full) {
    try (Translator t = Translator.load(MODEL, new Translator.Settings(2, p))) {
      TranslationOptions o = t.defaultOptions().withBeamSize(4);
      Shortlist lex = t.loadShortlist(ShortlistSpec.of(MODEL.resolve(SHORTLIST)));
      List<List<String>> out = new ArrayList<>();
      long t0 = System.nanoTime();
      out.add(full ? t.translate(source, o) : null);
      long t1 = System.nanoTime();
      out.add(t.translate(source, o.withShortlist(lex)));
      long t2 = System.nanoTime();
      log("%s: full %.1f s, shortlist %.1f s (wall, 2 threads; not a benchmark)", p.cliName(), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
      return out;
    }
  }

  static void check(String variant, double fullBleu, List<String> got) throws IOException {
    double s = bleu(got);
    log("%s beam 4: BLEU %.2f with the shortlist, %.2f with the full vocabulary", variant, s, fullBleu);
    assertTrue(Math.abs(s - fullBleu) <= BOUND,
        variant + ": BLEU " + s + " with the shortlist is more than " + BOUND + " from full decoding's " + fullBleu);
    String golden = "test2016.jnmt." + variant + ".shortlist.beam4.de";
    if (UPDATE) {
      Files.write(DATA.resolve(golden), got, StandardCharsets.UTF_8);
    }
    List<String> want = read(golden);
    assertEquals(want.size(), got.size(), golden + " line count");
    List<Integer> diff = new ArrayList<>();
    for (int i = 0; i < want.size(); i++) {
      if (!want.get(i).equals(got.get(i))) {
        diff.add(i + 1);
      }
    }
    log("%s: %d lines differ from %s", variant, diff.size(), golden);
    assertTrue(diff.size() <= LINE_BUDGET,
        variant + ": " + diff.size() + " lines differ from " + golden + " (budget " + LINE_BUDGET + "), lines " + diff);
  }

  @Test
  void float32WithinBoundOfFullDecoding() throws IOException {
    double full = bleu(read("test2016.reference.beam4.de"));
    check("float32", full, translate(GemmPrecision.FLOAT32, false).get(1));
  }

  @Test
  void int8WithinBoundOfFullDecoding() throws IOException {
    List<List<String>> out = translate(GemmPrecision.INT8, true);
    check("int8", bleu(out.get(0)), out.get(1));
  }
}
