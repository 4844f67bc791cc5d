package dev.jnmt.decoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.config.GenerationConfig;
import dev.jnmt.decoder.config.GenerationConfig.EarlyStopping;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.search.SearchConfig;
import dev.jnmt.decoder.text.MarianTokenizer;
import dev.jnmt.decoder.search.Hypothesis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end on the committed tiny random model: ids, n-best scores and texts must equal what the
 * PyTorch reference (tools/train/search.py) produced, for greedy, beam 4 and beam 3 with length penalty
 * 0.6 and no renormalisation, whatever the mini-batch size and thread count.
 */
class TranslatorTinyModelTest {

  static final Path DIR = Path.of("src/test/resources/tiny-random");
  private static Translator translator;
  private static List<String> inputs;
  private static List<int[]> sourceIds;

  @BeforeAll
  static void load() throws IOException {
    translator = Translator.load(DIR, new Translator.Settings(2, GemmPrecision.FLOAT32));
    inputs = Files.readAllLines(DIR.resolve("inputs.en"), StandardCharsets.UTF_8);
    sourceIds = new ArrayList<>();
    for (String s : inputs) {
      sourceIds.add(translator.tokenizer().encode(s));
    }
  }

  @AfterAll
  static void close() {
    translator.close();
  }

  static List<int[]> readIds(String name) throws IOException {
    List<int[]> out = new ArrayList<>();
    for (String line : Files.readAllLines(DIR.resolve(name))) {
      out.add(
          line.isBlank()
              ? new int[0]
              : Arrays.stream(line.trim().split(" ")).mapToInt(Integer::parseInt).toArray());
    }
    return out;
  }

  private static TranslationOptions options(int beam) {
    return translator.defaultOptions().withBeamSize(beam).withMaxLength(40);
  }

  private static void assertIds(List<int[]> want, List<List<Hypothesis>> got, String what) {
    assertEquals(want.size(), got.size());
    int eos = translator.model().spec().eosTokenId();
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i), got.get(i).get(0).tokensWithoutEos(eos), what + " line " + (i + 1));
    }
  }

  @Test
  void modelDefaultsComeFromTheGenerationConfig() {
    TranslationOptions d = translator.defaultOptions();
    assertEquals(4, d.beamSize());
    assertEquals(512, d.maxLength());
    assertTrue(d.renormalizeLogits());
    assertEquals(1.0, d.lengthPenalty());
  }

  @Test
  void greedyEqualsReference() throws IOException {
    List<int[]> want = readIds("expected.greedy.ids");
    for (int miniBatch : new int[] {1, 3, 32}) {
      assertIds(want, translator.translateIds(sourceIds, options(1).withMiniBatch(miniBatch)), "greedy mb " + miniBatch);
    }
  }

  @Test
  void beam4EqualsReferenceWithScores() throws IOException {
    List<int[]> want = readIds("expected.beam4.ids");
    for (int miniBatch : new int[] {1, 7, 32}) {
      assertIds(want, translator.translateIds(sourceIds, options(4).withMiniBatch(miniBatch)), "beam4 mb " + miniBatch);
    }
    List<List<Hypothesis>> nbest = translator.translateIds(sourceIds, options(4).withNBest(4));
    int eos = translator.model().spec().eosTokenId();
    int[] seen = new int[inputs.size()];
    for (String line : Files.readAllLines(DIR.resolve("expected.beam4.nbest"))) {
      String[] f = line.split("\t", -1);
      int i = Integer.parseInt(f[0]);
      Hypothesis h = nbest.get(i).get(seen[i]++);
      int[] ids =
          f[2].isBlank() ? new int[0] : Arrays.stream(f[2].split(" ")).mapToInt(Integer::parseInt).toArray();
      assertArrayEquals(ids, h.tokensWithoutEos(eos), "n-best " + seen[i] + " of line " + (i + 1));
      assertEquals(Double.parseDouble(f[1]), h.score(), 2e-5, "score of line " + (i + 1));
    }
    for (int i = 0; i < seen.length; i++) {
      assertEquals(seen[i], nbest.get(i).size(), "n-best count of line " + (i + 1));
    }
  }

  @Test
  void beam3WithLengthPenaltyAndNoRenormalisationEqualsReference() throws IOException {
    List<int[]> want = readIds("expected.beam3.lp.ids");
    TranslationOptions o = options(3).withLengthPenalty(0.6).withRenormalizeLogits(false);
    assertIds(want, translator.translateIds(sourceIds, o), "beam3 lp0.6");
  }

  @Test
  void textsEqualReferenceAndBlankLinesStayEmpty() throws IOException {
    List<String> want = Files.readAllLines(DIR.resolve("expected.greedy.txt"), StandardCharsets.UTF_8);
    List<String> got = translator.translate(inputs, options(1));
    assertEquals(want, got);
    assertEquals("", got.get(inputs.indexOf("")));
    List<String> blanks = translator.translate(List.of("", "  ", "\u00a0\t"), options(2));
    assertEquals(List.of("", "", ""), blanks);
    assertEquals(List.of(), translator.translate(List.of(), options(2)));
  }

  @Test
  void resultsDoNotDependOnThreadsOrBatching() {
    try (Translator one = Translator.load(DIR)) {
      TranslationOptions o = one.defaultOptions().withMaxLength(40);
      List<String> a = one.translate(inputs, o.withMiniBatch(2));
      List<String> b = translator.translate(inputs, o.withMiniBatch(5));
      assertEquals(a, b);
    }
  }

  @Test
  void concurrentCallsGiveTheSameResults() throws Exception {
    TranslationOptions o = options(2);
    List<String> want = translator.translate(inputs, o);
    List<Thread> threads = new ArrayList<>();
    List<List<String>> got = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 3; t++) {
      Thread th = new Thread(() -> got.add(translator.translate(inputs, o.withMiniBatch(3))));
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    assertEquals(3, got.size());
    for (List<String> g : got) {
      assertEquals(want, g);
    }
  }

  @Test
  void longSourcesAreCutToThePositionTable() {
    int limit = translator.model().spec().maxPositionEmbeddings();
    int[] longIds = new int[limit + 50];
    Arrays.fill(longIds, 38);
    longIds[longIds.length - 1] = translator.model().spec().eosTokenId();
    List<List<Hypothesis>> r = translator.translateIds(List.of(longIds), options(1).withMaxLength(5));
    assertEquals(1, r.size());
    assertTrue(r.get(0).get(0).tokens().length <= 4);
  }

  @Test
  void padIsBannedEvenWhenTheConfigHasNoBadWords() {
    int pad = translator.model().spec().padTokenId();
    GenerationConfig g =
        new GenerationConfig(
            1, 20, 1.0, EarlyStopping.FALSE, List.of(), OptionalInt.of(0), false, pad, 0, pad, 0, 0, 1.0);
    try (Translator t = new Translator(translator.model(), MarianTokenizer.open(DIR), g, Translator.Settings.defaults())) {
      SearchConfig c = t.searchConfig(t.defaultOptions());
      assertEquals(1, c.badWords().length);
      assertArrayEquals(new int[] {pad}, c.badWords()[0]);
      assertEquals(1, t.defaultOptions().beamSize());
    }
    SearchConfig withPad = translator.searchConfig(translator.defaultOptions());
    assertEquals(1, withPad.badWords().length, "the fixture's bad_words_ids [[pad]] is not doubled");
  }

  /**
   * Scores must not depend on which rows share a step: search one sentence at a time (4 decoder rows),
   * search in one mini-batch (80 rows) and forced decoding in mini-batches of 5 give the same bits. This
   * failed at 512 bits while VectorOps used the Vector API's EXP, whose bits differ from the scalar tail's
   * Math.exp (see VectorOps).
   */
  @Test
  void forcedDecodingReproducesSearchScores() {
    for (int[] beamAndBatch : new int[][] {{1, 64}, {4, 1}, {4, 64}}) {
      int beam = beamAndBatch[0];
      TranslationOptions o = options(beam).withNBest(beam).withMiniBatch(beamAndBatch[1]);
      List<List<Hypothesis>> found = translator.translateIds(sourceIds, o);
      List<int[]> src = new ArrayList<>();
      List<int[]> tgt = new ArrayList<>();
      List<Hypothesis> want = new ArrayList<>();
      for (int i = 0; i < found.size(); i++) {
        for (Hypothesis h : found.get(i)) {
          src.add(sourceIds.get(i));
          tgt.add(h.tokens());
          want.add(h);
        }
      }
      List<Hypothesis> scored = translator.scoreIds(src, tgt, o.withMiniBatch(5));
      for (int i = 0; i < want.size(); i++) {
        String what = "beam " + beam + ", mini-batch " + beamAndBatch[1] + ", hypothesis " + i;
        assertEquals(want.get(i).logProb(), scored.get(i).logProb(), what);
        assertEquals(want.get(i).score(), scored.get(i).score(), what);
      }
    }
  }

  @Test
  void aClosedTranslatorRefusesWork() {
    Translator t = Translator.load(DIR);
    t.close();
    t.close();
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> t.translate(List.of("A dog.")));
    assertEquals("the translator is closed", e.getMessage());
  }

  @Test
  void invalidOptionsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> options(2).withNBest(3));
    assertThrows(IllegalArgumentException.class, () -> options(0));
    assertThrows(IllegalArgumentException.class, () -> options(2).withMaxLength(1));
    assertThrows(IllegalArgumentException.class, () -> options(2).withMiniBatch(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> translator.translateIds(List.of(new int[] {999999, 0}), options(1)));
  }
}
