package dev.jnmt.decoder.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jnmt.decoder.config.Activation;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.base.CheckpointException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against ids and texts computed by tiny-spm/make.py with the Python sentencepiece module (the HF
 * MarianTokenizer algorithm restated there), on tiny spm models whose ids differ from vocab.json's.
 */
class MarianTokenizerTest {

  static Path fixtures;
  static JsonNode expected;

  @TempDir Path tmp;

  @BeforeAll
  static void load() throws URISyntaxException, IOException {
    fixtures = Path.of(MarianTokenizerTest.class.getResource("/tiny-spm/expected.json").toURI()).getParent();
    expected = new ObjectMapper().readTree(fixtures.resolve("expected.json").toFile());
  }

  /** A model directory with the fixture files, shared or separate vocabularies. */
  Path modelDir(String name, boolean separate, String tokenizerConfig) throws IOException {
    Path d = Files.createDirectories(tmp.resolve(name));
    for (String f : List.of("source.spm", "target.spm", "vocab.json")) {
      Files.copy(fixtures.resolve(f), d.resolve(f));
    }
    if (separate) {
      Files.copy(fixtures.resolve("target_vocab.json"), d.resolve("target_vocab.json"));
    }
    if (tokenizerConfig != null) {
      Files.writeString(d.resolve("tokenizer_config.json"), tokenizerConfig);
    }
    return d;
  }

  private static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).intValue();
    }
    return out;
  }

  private static List<String> strings(JsonNode a) {
    List<String> out = new ArrayList<>();
    a.forEach(n -> out.add(n.textValue()));
    return out;
  }

  @Test
  void encodeMatchesPythonSentencePiece() throws IOException {
    try (MarianTokenizer tok = MarianTokenizer.open(modelDir("m", false, null))) {
      int n = 0;
      for (JsonNode c : expected.get("encode")) {
        String text = c.get("text").textValue();
        assertEquals(strings(c.get("pieces")), tok.tokenize(text), () -> "pieces of " + text);
        assertArrayEquals(ints(c.get("ids")), tok.encode(text), () -> "ids of " + text);
        n++;
      }
      assertTrue(n > 100);
    }
  }

  @Test
  void encodeUsesTheSourceVocabularyWhenSeparate() throws IOException {
    try (MarianTokenizer tok = MarianTokenizer.open(modelDir("m", true, "{\"separate_vocabs\": true}"))) {
      for (JsonNode c : expected.get("encode")) {
        assertArrayEquals(ints(c.get("ids")), tok.encode(c.get("text").textValue()));
      }
    }
  }

  @Test
  void decodeMatchesPythonSentencePiece() throws IOException {
    try (MarianTokenizer shared = MarianTokenizer.open(modelDir("s", false, null));
        MarianTokenizer separate = MarianTokenizer.open(modelDir("p", true, "{\"separate_vocabs\": true}"))) {
      int n = 0;
      for (JsonNode c : expected.get("decode")) {
        MarianTokenizer tok = c.get("mode").textValue().equals("shared") ? shared : separate;
        int[] ids = ints(c.get("ids"));
        String what = c.get("mode").textValue() + " " + c.get("ids");
        assertEquals(c.get("skip_clean").textValue(), tok.decode(ids), what);
        assertEquals(c.get("skip_raw").textValue(), tok.decode(ids, true, false), what);
        assertEquals(c.get("keep_clean").textValue(), tok.decode(ids, false, true), what);
        n++;
      }
      assertTrue(n > 100);
    }
  }

  @Test
  void cleanUpDefaultComesFromTokenizerConfig() throws IOException {
    try (MarianTokenizer on = MarianTokenizer.open(modelDir("on", false, "{}"));
        MarianTokenizer off = MarianTokenizer.open(modelDir("off", false, "{\"clean_up_tokenization_spaces\": false}"))) {
      JsonNode c = null;
      for (JsonNode d : expected.get("decode")) {
        if (!d.get("skip_clean").equals(d.get("skip_raw")) && d.get("mode").textValue().equals("shared")) {
          c = d;
          break;
        }
      }
      int[] ids = ints(c.get("ids"));
      assertEquals(c.get("skip_clean").textValue(), on.decode(ids));
      assertEquals(c.get("skip_raw").textValue(), off.decode(ids));
    }
  }

  @Test
  void cleanUpRulesApplyInHuggingFaceOrder() {
    assertEquals("Hi, you. Right? Yes! don't I'm it's we've they're a'b",
        MarianTokenizer.cleanUpTokenization("Hi , you . Right ? Yes ! do n't I 'm it 's we 've they 're a ' b"));
    // French spacing is changed too, as HF does.
    assertEquals("Le bus?", MarianTokenizer.cleanUpTokenization("Le bus ?"));
    // one pass per rule, left to right, like Python's str.replace
    assertEquals("a .", MarianTokenizer.cleanUpTokenization("a  ."));
  }

  @Test
  void specialTokensAndLanguageTags() throws IOException {
    try (MarianTokenizer tok = MarianTokenizer.open(modelDir("m", false, null))) {
      int pad = tok.padId();
      assertEquals(tok.sourceVocabulary().idLimit() - 1, pad);
      assertEquals(0, tok.eosId());
      assertEquals(1, tok.unkId());
      int[] ids = tok.encode("<pad>");
      assertArrayEquals(new int[] {pad, 0}, ids);
      assertEquals(List.of(">>de<<", ">>fra<<"), tok.languageCodes());
      int de = tok.sourceVocabulary().id(">>de<<").getAsInt();
      assertEquals(de, tok.encode(">>de<< A man.")[0]);
      assertEquals(de, tok.encode(">>de<<")[0]);
      assertEquals(2, tok.encode(">>de<<").length);
      // not at the start of a chunk: segmented by spm like any text
      assertFalse(tok.encode("A >>de<< man")[1] == de);
      assertTrue(tok.isSpecialTargetId(pad));
      assertEquals("", tok.decode(new int[] {pad, 0, 1}));
    }
  }

  @Test
  void concurrentUseGivesTheSameIds() throws Exception {
    try (MarianTokenizer tok = MarianTokenizer.open(modelDir("m", false, null))) {
      List<String> texts = new ArrayList<>();
      List<int[]> want = new ArrayList<>();
      for (JsonNode c : expected.get("encode")) {
        texts.add(c.get("text").textValue());
        want.add(ints(c.get("ids")));
      }
      List<Thread> threads = new ArrayList<>();
      List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < 4; t++) {
        Thread th = new Thread(() -> {
          for (int round = 0; round < 3; round++) {
            int[][] got = tok.encodeAll(texts);
            for (int i = 0; i < got.length; i++) {
              assertArrayEquals(want.get(i), got[i]);
              assertEquals(tok.decode(got[i]), tok.decodeAll(List.of(got[i])).get(0));
            }
          }
        });
        th.setUncaughtExceptionHandler((x, e) -> errors.add(e));
        threads.add(th);
        th.start();
      }
      for (Thread th : threads) {
        th.join();
      }
      assertEquals(List.of(), errors);
    }
  }

  @Test
  void loneSurrogatesBecomeReplacementCharacters() throws IOException {
    assertEquals("a\uFFFDb\uD83D\uDE00\uFFFD", MarianTokenizer.replaceLoneSurrogates("a\uD800b\uD83D\uDE00\uDFFF"));
    String ok = "x\uD83D\uDE00y";
    assertTrue(ok == MarianTokenizer.replaceLoneSurrogates(ok));
    try (MarianTokenizer tok = MarianTokenizer.open(modelDir("m", false, null))) {
      assertArrayEquals(tok.encode("a\uFFFDb"), tok.encode("a\uD800b"));
    }
  }

  @Test
  void pythonWhitespace() {
    assertEquals("a\u200bb", PythonStrings.strip("\u00a0\u2003a\u200bb\u3000\u001f"));
    assertEquals("x ", PythonStrings.lstrip("\t\u0085x "));
  }

  @Test
  void checkCompatibleComparesWithTheModelConfig() throws IOException {
    try (MarianTokenizer tok = MarianTokenizer.open(modelDir("m", false, null))) {
      int v = tok.sourceVocabulary().idLimit();
      MarianConfig ok = MarianConfig.builder().vocab(v).dModel(8).encoder(1, 2, 16).decoder(1, 2, 16).activation(Activation.SWISH).scaleEmbedding(true).maxPositions(16).tokens(v - 1, 0, v - 1).build();
      tok.checkCompatible(ok);
      MarianConfig small = MarianConfig.builder().vocab(v - 1).dModel(8).encoder(1, 2, 16).decoder(1, 2, 16).activation(Activation.SWISH).scaleEmbedding(true).maxPositions(16).tokens(v - 2, 0, v - 2).build();
      CheckpointException e = assertThrows(CheckpointException.class, () -> tok.checkCompatible(small));
      assertTrue(e.getMessage().contains("vocab.json"), e.getMessage());
      MarianConfig separate = MarianConfig.builder().vocab(v).decoderVocab(300).shareEmbeddings(false).dModel(8).encoder(1, 2, 16).decoder(1, 2, 16).activation(Activation.SWISH).scaleEmbedding(true).maxPositions(16).tokens(v - 1, 0, 299).build();
      e = assertThrows(CheckpointException.class, () -> tok.checkCompatible(separate));
      assertTrue(e.getMessage().contains("separate_vocabs"), e.getMessage());
    }
  }

  private static String error(Path dir) {
    CheckpointException e = assertThrows(CheckpointException.class, () -> MarianTokenizer.open(dir).close());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    return e.getMessage();
  }

  @Test
  void badFilesGiveOneLineErrors() throws IOException {
    Path d = modelDir("missing", false, null);
    Files.delete(d.resolve("source.spm"));
    assertTrue(error(d).startsWith(d.resolve("source.spm") + ": no such file"), error(d));

    d = modelDir("garbage", false, null);
    Files.writeString(d.resolve("target.spm"), "this is not a protobuf");
    assertTrue(error(d).startsWith(d.resolve("target.spm") + ": not a SentencePiece model"), error(d));

    d = modelDir("badjson", false, null);
    Files.writeString(d.resolve("vocab.json"), "{\"</s>\": 0, \"<unk>\": 1,");
    assertTrue(error(d).startsWith(d.resolve("vocab.json") + ": bad JSON"), error(d));

    d = modelDir("dupid", false, null);
    Files.writeString(d.resolve("vocab.json"), "{\"</s>\": 0, \"<unk>\": 1, \"a\": 2, \"b\": 2, \"<pad>\": 3}");
    assertEquals(d.resolve("vocab.json") + ": id 2 is used by both 'a' and 'b'", error(d));

    d = modelDir("dupkey", false, null);
    Files.writeString(d.resolve("vocab.json"), "{\"</s>\": 0, \"<unk>\": 1, \"a\": 2, \"a\": 3, \"<pad>\": 4}");
    assertTrue(error(d).contains("Duplicate field 'a'"), error(d));

    d = modelDir("nopad", false, null);
    Files.writeString(d.resolve("vocab.json"), "{\"</s>\": 0, \"<unk>\": 1, \"a\": 2}");
    assertEquals(d.resolve("vocab.json") + ": the special token '<pad>' is not in the vocabulary", error(d));

    d = modelDir("negative", false, null);
    Files.writeString(d.resolve("vocab.json"), "{\"</s>\": 0, \"<unk>\": -1}");
    assertEquals(d.resolve("vocab.json") + ": piece '<unk>' has id -1, not a non-negative integer", error(d));

    d = modelDir("notarget", false, "{\"separate_vocabs\": true}");
    assertTrue(error(d).startsWith(d.resolve("target_vocab.json") + ": no such file"), error(d));

    d = modelDir("badconfig", false, "{\"separate_vocabs\": \"yes\"}");
    assertEquals(d.resolve("tokenizer_config.json") + ": separate_vocabs must be true or false, got \"yes\"", error(d));
  }

  @Test
  void vocabularyFileWithNonAsciiPieces() throws IOException {
    Path f = tmp.resolve("v.json");
    Files.writeString(f, "{\"</s>\": 0, \"\u2581Stra\u00dfe\": 1}", StandardCharsets.UTF_8);
    Vocabulary v = Vocabulary.read(f);
    assertEquals(1, v.id("\u2581Stra\u00dfe").getAsInt());
    assertEquals("\u2581Stra\u00dfe", v.piece(1));
    assertEquals(null, v.piece(2));
  }
}
