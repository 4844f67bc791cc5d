package dev.jnmt.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.model.MarianModel;
import dev.jnmt.decoder.search.BeamSearch;
import dev.jnmt.decoder.search.Hypothesis;
import dev.jnmt.decoder.search.SearchConfig;
import dev.jnmt.decoder.shortlist.BatchColumns;
import dev.jnmt.decoder.shortlist.Shortlist;
import dev.jnmt.decoder.shortlist.ShortlistSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Shortlist decoding through the Translator, on the shipped model and its shipped shortlist: the rule
 * is that sentence s may only produce (and is normalised over) its own allowed ids. Checked against the
 * reference — each sentence decoded alone, with the full output layer masked to its allowed ids
 * ({@link MaskedShortlistSession}) — bit for bit (ids, scores, log-probabilities), whatever the
 * mini-batch size and thread count; n-best, forced {@code </s>} at max length, teacher-forced scores and
 * the reported shortlist size agree with it.
 */
class ShortlistTranslationTest {

  static Path root() {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isDirectory(root.resolve("models/multi30k-en-de"))) {
      root = root.getParent();
    }
    assertTrue(root != null, "models/multi30k-en-de not found above " + Path.of("").toAbsolutePath());
    return root;
  }

  static final Path ROOT = root();
  static final Path MODEL = ROOT.resolve("models/multi30k-en-de");

  static List<String> sentences(int n) throws IOException {
    return Files.readAllLines(ROOT.resolve("test-data/multi30k/test2016.en"), StandardCharsets.UTF_8).subList(0, n);
  }

  /** Each sentence alone through the masked full output layer. */
  static List<List<Hypothesis>> reference(Translator t, List<int[]> src, TranslationOptions o) {
    SearchConfig search = t.searchConfig(o);
    MarianModel m = t.model();
    List<List<Hypothesis>> out = new ArrayList<>();
    for (int[] s : src) {
      int[][] one = {s};
      BatchColumns cols = BatchColumns.of(o.shortlist(), one, t.alwaysAllowed(search));
      try (var session = new MaskedShortlistSession(m.startDecoding(m.encode(one)), cols)) {
        out.add(BeamSearch.run(session, 1, search).get(0));
      }
    }
    return out;
  }

  static void assertSame(List<List<Hypothesis>> want, List<List<Hypothesis>> got, String what) {
    assertEquals(want.size(), got.size(), what);
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.get(i).size(), got.get(i).size(), what + " sentence " + i + " n-best count");
      for (int k = 0; k < want.get(i).size(); k++) {
        Hypothesis a = want.get(i).get(k);
        Hypothesis b = got.get(i).get(k);
        String w = what + " sentence " + i + " hypothesis " + k;
        assertArrayEquals(a.tokens(), b.tokens(), w);
        assertEquals(Float.floatToRawIntBits(a.score()), Float.floatToRawIntBits(b.score()), w + " score");
        assertEquals(Float.floatToRawIntBits(a.logProb()), Float.floatToRawIntBits(b.logProb()), w + " logProb");
      }
    }
  }

  @Test
  void equalsEachSentenceAloneOverItsOwnShortlistAtEveryBatchingAndPrecision() throws IOException {
    List<String> text = sentences(24);
    for (GemmPrecision p : List.of(GemmPrecision.FLOAT32, GemmPrecision.INT8_SHIFT)) {
      try (Translator t = Translator.load(MODEL, new Translator.Settings(2, p))) {
        Shortlist lex = t.loadShortlist(ShortlistSpec.of(MODEL.resolve("lex.50.50.s2t.bin")));
        List<int[]> src = text.stream().map(t.tokenizer()::encode).toList();
        TranslationOptions beam = t.defaultOptions().withBeamSize(4).withNBest(4).withShortlist(lex);
        List<List<Hypothesis>> want = reference(t, src, beam);
        for (int mb : new int[] {1, 7, 32}) {
          assertSame(want, t.translateIds(src, beam.withMiniBatch(mb)), p.cliName() + " beam 4 mini-batch " + mb);
        }
        TranslationOptions greedy = beam.withBeamSize(1).withNBest(1);
        assertSame(reference(t, src, greedy), t.translateIds(src, greedy), p.cliName() + " greedy");

        // every produced id is one the sentence may produce; the reported size is its allowed count
        SearchConfig search = t.searchConfig(beam);
        List<Translation> detailed = t.translateDetailed(text, beam);
        for (int i = 0; i < src.size(); i++) {
          BatchColumns own = BatchColumns.of(lex, new int[][] {src.get(i)}, t.alwaysAllowed(search));
          assertEquals(own.allowedCount(0), detailed.get(i).shortlistSize());
          assertEquals(own.allowedCount(0), t.shortlistSize(src.get(i), beam));
          List<Integer> allowed = java.util.Arrays.stream(own.allowedIds(0)).boxed().toList();
          for (Hypothesis h : detailed.get(i).hypotheses()) {
            for (int id : h.tokens()) {
              assertTrue(allowed.contains(id), "sentence " + i + " produced id " + id + " outside its shortlist");
            }
          }
        }

        // teacher forcing scores a search result as the search did
        List<int[]> best = want.stream().map(h -> h.get(0).tokens()).toList();
        List<Hypothesis> scored = t.scoreIds(src, best, beam);
        for (int i = 0; i < src.size(); i++) {
          assertEquals(want.get(i).get(0).score(), scored.get(i).score(), 1e-5f, "scoreIds sentence " + i);
        }

        // forced </s> at max length
        TranslationOptions shortOut = beam.withMaxLength(5);
        List<List<Hypothesis>> cut = t.translateIds(src, shortOut);
        assertSame(reference(t, src, shortOut), cut, p.cliName() + " max length 5");
        for (List<Hypothesis> hs : cut) {
          for (Hypothesis h : hs) {
            assertTrue(h.tokens().length <= 4 && h.tokens()[h.tokens().length - 1] == 0, "forced </s>");
          }
        }
      }
    }
  }
}
