package dev.jnmt.decoder.shortlist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnmt.decoder.text.Vocabulary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Marian's shortlist files and selection rule on hand-made tables. */
class ShortlistTest {

  @TempDir Path tmp;

  // ids:              0      1        2    3    4     5       6      7       8       9      10      11
  static final List<String> PIECES =
      List.of("</s>", "<unk>", ".", "a", "dog", "Hund", "cat", "Katze", "runs", "läuft", "house", "Haus");
  static final Vocabulary VOCAB = Vocabulary.of(PIECES);
  // the same pieces as a separate vocabulary object: not "shared"
  static final Vocabulary SRC = Vocabulary.of(PIECES);
  static final Vocabulary TGT = Vocabulary.of(PIECES);

  static final String TABLE = String.join("\n",
      "Hund dog 0.7",
      "Katze dog 0.1",
      "a dog 0.15",
      "Haus dog 0.05",
      "NULL dog 0.3",
      "Katze cat 0.5",
      "Hund cat 0.5",          // tie with Katze: Marian keeps the higher id first (Katze 7 > Hund 5)
      "Haus cat 0.2",
      "läuft runs 0.9",
      "läuft runs 0.95",       // listed twice: the larger probability counts
      "unbekannt runs 0.99",   // not in the vocabulary: skipped and counted
      "Haus house 0.0",        // probability 0: never above the threshold
      "") ;

  Path text(String content) throws IOException {
    Path p = tmp.resolve("lex.s2t");
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void textTableKeepsTheBestAboveTheThresholdPerSource() throws IOException {
    Path f = text(TABLE);
    Shortlist s = Shortlist.load(ShortlistSpec.of(f, 2, 2), SRC, TGT);
    assertEquals(Shortlist.Format.TEXT, s.format());
    assertArrayEquals(new int[] {3, 5}, s.translations(4)); // dog: Hund 0.7, a 0.15 (Katze 0.1 is third)
    assertArrayEquals(new int[] {5, 7}, s.translations(6)); // cat: the 0.5 tie, both kept
    assertArrayEquals(new int[] {9}, s.translations(8));
    assertArrayEquals(new int[] {}, s.translations(10));    // house: only a 0 entry
    assertEquals(12, s.entriesRead());
    assertEquals(1, s.skippedEntries());
    assertFalse(s.shared());

    Shortlist one = Shortlist.load(ShortlistSpec.of(f, 2, 1), SRC, TGT);
    assertArrayEquals(new int[] {7}, one.translations(6), "tie: the higher target id wins, as in Marian");

    Shortlist thr = Shortlist.load(ShortlistSpec.of(f, 2, 100, 0.15), SRC, TGT);
    assertArrayEquals(new int[] {5}, thr.translations(4), "0.15 is not above the threshold 0.15");
    assertArrayEquals(new int[] {5, 7, 11}, thr.translations(6));
  }

  @Test
  void defaultsAreMariansHundredHundredZero() throws IOException {
    Shortlist s = Shortlist.load(ShortlistSpec.of(text(TABLE)), SRC, TGT);
    assertEquals(100, s.first());
    assertEquals(100, s.best());
    assertEquals(0.0, s.threshold());
    assertEquals(0.15f, (float) Shortlist.load(ShortlistSpec.of(text(TABLE), 2, 2, 0.15), SRC, TGT).threshold());
    assertArrayEquals(new int[] {3, 5, 7, 11}, s.translations(4));
  }

  @Test
  void selectionIsFirstIdsPlusEachSourceTokensTranslations() throws IOException {
    Shortlist s = Shortlist.load(ShortlistSpec.of(text(TABLE), 3, 1), SRC, TGT);
    boolean[] mask = new boolean[PIECES.size()];
    s.mark(new int[] {4, 8, 0}, 3, mask); // "dog runs </s>"
    assertEquals(List.of(0, 1, 2, 5, 9), trues(mask));

    // joint vocabulary: the source ids are candidates too
    Shortlist joint = Shortlist.load(ShortlistSpec.of(text(TABLE), 3, 1), VOCAB, VOCAB);
    assertTrue(joint.shared());
    boolean[] m2 = new boolean[PIECES.size()];
    joint.mark(new int[] {4, 8, 0}, 3, m2);
    assertEquals(List.of(0, 1, 2, 4, 5, 8, 9), trues(m2));
  }

  static List<Integer> trues(boolean[] m) {
    return java.util.stream.IntStream.range(0, m.length).filter(i -> m[i]).boxed().toList();
  }

  @Test
  void binaryRoundTripKeepsHeaderAndLists() throws IOException {
    Shortlist s = Shortlist.load(ShortlistSpec.of(text(TABLE), 3, 2), SRC, TGT);
    Path bin = tmp.resolve("lex.3.2.s2t.bin");
    s.writeBinary(bin);
    assertTrue(Shortlist.isBinary(bin));
    byte[] bytes = Files.readAllBytes(bin);
    assertEquals(48 + (PIECES.size() + 1) * 8 + s.pairs() * 4, bytes.length);
    Shortlist b = Shortlist.load(ShortlistSpec.of(bin), SRC, TGT);
    assertEquals(Shortlist.Format.BINARY, b.format());
    assertEquals(3, b.first());
    assertEquals(2, b.best());
    for (int src = 0; src < PIECES.size(); src++) {
      assertArrayEquals(s.translations(src), b.translations(src), "source " + src);
    }
    assertEquals(7, Shortlist.load(ShortlistSpec.of(bin, 7, 2), SRC, TGT).first(), "FIRST overrides the header");
    ShortlistException e = assertThrows(ShortlistException.class,
        () -> Shortlist.load(ShortlistSpec.of(bin, 3, 5), SRC, TGT));
    assertTrue(e.getMessage().startsWith(bin.toString()), e.getMessage());
  }

  @Test
  void checksumIsMariansHashMem() {
    // util::hashMem<uint64_t> over the words after magic and checksum: seed ^= w + 0x9e3779b9 + (seed<<6) + (seed>>2)
    byte[] blob = new byte[16 + 8 * 2 + 4]; // two full words, then 4 bytes the hash does not cover
    ByteBuffer b = ByteBuffer.wrap(blob).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(16, 1L).putLong(24, 0x8000000000000000L).putInt(32, 12345);
    long seed = 0;
    seed ^= 1L + 0x9e3779b9L;                                     // first word: seed 0
    long s1 = seed;
    seed ^= 0x8000000000000000L + 0x9e3779b9L + (s1 << 6) + (s1 >>> 2);
    assertEquals(seed, Shortlist.checksum(blob));
    assertEquals(0x9e3779baL, s1);
  }

  @Test
  void badBinaryFilesFailWithOneLineNamingTheFile() throws IOException {
    Shortlist s = Shortlist.load(ShortlistSpec.of(text(TABLE), 3, 2), SRC, TGT);
    byte[] good = s.toBinary();

    // truncated inside the header, and inside the ids
    assertBad(Arrays.copyOf(good, 40), "truncated", SRC, TGT);
    assertBad(Arrays.copyOf(good, good.length - 4), "truncated", SRC, TGT);
    byte[] longer = Arrays.copyOf(good, good.length + 4);
    assertBad(longer, "trailing bytes", SRC, TGT);

    // bad checksum: the first id changed (with an odd number of ids Marian's hash skips the last 4 bytes)
    byte[] flipped = good.clone();
    flipped[48 + (PIECES.size() + 1) * 8] ^= 1;
    assertBad(flipped, "checksum", SRC, TGT);

    // wrong magic: not a binary shortlist, and not text either
    byte[] magic = good.clone();
    magic[0] ^= 0x55;
    assertBad(magic, "magic", SRC, TGT);
    ShortlistException h = assertThrows(ShortlistException.class, () -> Shortlist.header(Path.of("x.bin"), magic));
    assertTrue(h.getMessage().contains("wrong magic number"), h.getMessage());

    // ids beyond the target vocabulary (valid checksum): a target vocabulary of 6 ids
    Vocabulary smallTarget = Vocabulary.of(PIECES.subList(0, 6));
    assertBad(good, "beyond the model's target vocabulary", SRC, smallTarget);

    // a source vocabulary of another size
    assertBad(good, "source vocabulary", Vocabulary.of(PIECES.subList(0, 6)), TGT);

    // offsets out of order, checksum recomputed
    byte[] offsets = good.clone();
    ByteBuffer.wrap(offsets).order(ByteOrder.LITTLE_ENDIAN).putLong(48 + 8 * 5, 1000);
    ByteBuffer.wrap(offsets).order(ByteOrder.LITTLE_ENDIAN).putLong(8, Shortlist.checksum(offsets));
    assertBad(offsets, "offset", SRC, TGT);
  }

  void assertBad(byte[] content, String expected, Vocabulary src, Vocabulary tgt) throws IOException {
    Path f = Files.write(tmp.resolve("bad.bin"), content);
    ShortlistException e = assertThrows(ShortlistException.class, () -> Shortlist.load(ShortlistSpec.of(f), src, tgt));
    assertTrue(e.getMessage().startsWith(f.toString() + ":"), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  @Test
  void badTextTablesNameFileAndLine() throws IOException {
    assertBadText("Hund dog 0.7\nHund dog\n", ":2: expected 'target source probability'");
    assertBadText("Hund dog 0.7\nHund dog x\n", ":2: probability 'x' is not a number");
    assertBadText("Hund dog -0.5\n", ":1: probability -0.5 is not a finite number");
    assertBadText("Hund dog NaN\n", ":1: probability NaN");
    assertBadText("", "empty shortlist");
    assertBadText("x y 0.5\nz w 0.1\n", "none of the 2 entries");
    Path f = tmp.resolve("latin1.s2t");
    Files.write(f, new byte[] {'H', (byte) 0xE4, ' ', 'd', ' ', '1', '\n'});
    ShortlistException e = assertThrows(ShortlistException.class, () -> Shortlist.load(ShortlistSpec.of(f), SRC, TGT));
    assertTrue(e.getMessage().startsWith(f + ":1: not UTF-8"), e.getMessage());
    Path missing = tmp.resolve("missing.s2t");
    e = assertThrows(ShortlistException.class, () -> Shortlist.load(ShortlistSpec.of(missing), SRC, TGT));
    assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
  }

  void assertBadText(String content, String expected) throws IOException {
    Path f = text(content);
    ShortlistException e = assertThrows(ShortlistException.class, () -> Shortlist.load(ShortlistSpec.of(f), SRC, TGT));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void specParsesMariansArgumentOrder() {
    assertEquals(ShortlistSpec.of(Path.of("lex.s2t")), ShortlistSpec.parse(List.of("lex.s2t")));
    assertEquals(ShortlistSpec.of(Path.of("lex.s2t"), 50, 20), ShortlistSpec.parse(List.of("lex.s2t", "50", "20")));
    assertEquals(ShortlistSpec.of(Path.of("lex.s2t"), 50, 20, 0.01), ShortlistSpec.parse(List.of("lex.s2t", "50", "20", "0.01")));
    for (List<String> bad : List.of(List.<String>of(), List.of("f", "50"), List.of("f", "1", "2", "0.1", "x"),
        List.of("f", "a", "2"), List.of("f", "1", "b"), List.of("f", "1", "2", "z"), List.of("f", "-1", "2"),
        List.of("f", "1", "2", "1.5"))) {
      dev.jnmt.decoder.base.SettingException e =
          assertThrows(dev.jnmt.decoder.base.SettingException.class, () -> ShortlistSpec.parse(bad));
      assertEquals(dev.jnmt.decoder.base.SettingException.Setting.SHORTLIST, e.setting());
      assertTrue(e.getMessage().startsWith("shortlist "), e.getMessage()); // the library's name, no CLI flag
      assertTrue(e.render(x -> "--shortlist").startsWith("--shortlist "), e.render(x -> "--shortlist"));
    }
  }

  @Test
  void batchColumnsAreTheUnionPaddedToEightAndEachSentenceKeepsItsOwn() throws IOException {
    Shortlist s = Shortlist.load(ShortlistSpec.of(text(TABLE), 2, 1), SRC, TGT);
    int[][] sources = {{4, 0}, {8, 0}}; // "dog </s>", "runs </s>"
    BatchColumns c = BatchColumns.of(s, sources, new int[] {0, 1});
    // union {0,1} ∪ {5} ∪ {9} = 4 ids, padded to 8 with the lowest ids ≥ first (2) not in it: 2,3,4,6
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 9}, c.columns());
    assertArrayEquals(new int[] {0, 1, 5}, c.allowedIds(0));
    assertArrayEquals(new int[] {0, 1, 9}, c.allowedIds(1));

    int v = PIECES.size();
    float[] compact = new float[2 * 8];
    for (int i = 0; i < compact.length; i++) {
      compact[i] = i + 0.5f;
    }
    float[] logits = new float[3 * v];
    c.scatter(compact, 2, new int[] {1, 0}, logits); // row 0 decodes sentence 1, row 1 sentence 0
    for (int id = 0; id < v; id++) {
      float r0 = id == 0 ? 0.5f : id == 1 ? 1.5f : id == 9 ? 7.5f : Float.NEGATIVE_INFINITY;
      float r1 = id == 0 ? 8.5f : id == 1 ? 9.5f : id == 5 ? 13.5f : Float.NEGATIVE_INFINITY;
      assertEquals(r0, logits[id], "row 0 id " + id);
      assertEquals(r1, logits[v + id], "row 1 id " + id);
    }
  }

  @Test
  void shippedBinaryIsWhatTheJavaWriterMakesFromTheShippedTextTable() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isDirectory(root.resolve("models/multi30k-en-de"))) {
      root = root.getParent();
    }
    assertTrue(root != null, "models/multi30k-en-de not found above " + Path.of("").toAbsolutePath());
    Path model = root.resolve("models/multi30k-en-de");
    Vocabulary v = Vocabulary.read(model.resolve("vocab.json"));
    Path bin = model.resolve("lex.50.50.s2t.bin");
    // written by tools/train/build_shortlist.py (its own checksum code): read and checked here
    Shortlist shipped = Shortlist.load(ShortlistSpec.of(bin), v, v);
    assertEquals(50, shipped.first());
    assertEquals(50, shipped.best());
    Shortlist fromText = Shortlist.load(ShortlistSpec.of(model.resolve("lex.s2t"), 50, 50), v, v);
    assertEquals(0, fromText.skippedEntries());
    assertArrayEquals(Files.readAllBytes(bin), fromText.toBinary());
  }
}
