package dev.jnmt.decoder.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped model's tokenizer (models/multi30k-en-de) on test2016, against ids computed with the Python
 * sentencepiece module by resources/multi30k-en-de/make_expected.py. {@code -Djnmt.shippedModel=DIR}
 * points it at another copy of the model.
 */
class ShippedModelTokenizerTest {

  static Path model;
  static Path expected;
  static Path data;

  @BeforeAll
  static void locate() throws URISyntaxException {
    expected = Path.of(ShippedModelTokenizerTest.class.getResource("/multi30k-en-de/model.sha256").toURI()).getParent();
    Path root = Path.of("").toAbsolutePath();
    while (root != null && !Files.isDirectory(root.resolve("test-data/multi30k"))) {
      root = root.getParent();
    }
    assertTrue(root != null, "repository root (with test-data/multi30k) not found above " + Path.of("").toAbsolutePath());
    data = root.resolve("test-data/multi30k");
    String override = System.getProperty("jnmt.shippedModel");
    model = override != null ? Path.of(override) : root.resolve("models/multi30k-en-de");
  }

  @Test
  void expectationsWereComputedFromTheseTokenizerFiles() throws IOException, NoSuchAlgorithmException {
    for (String line : Files.readAllLines(expected.resolve("model.sha256"))) {
      String[] parts = line.split("  ", 2);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model.resolve(parts[1])));
      assertEquals(parts[0], HexFormat.of().formatHex(digest),
          model.resolve(parts[1]) + " changed: rerun decoder/src/test/resources/multi30k-en-de/make_expected.py");
    }
  }

  static int[][] ids(Path file) throws IOException {
    return Files.readAllLines(file).stream()
        .map(l -> Arrays.stream(l.split(" ")).mapToInt(Integer::parseInt).toArray())
        .toArray(int[][]::new);
  }

  @Test
  void encodesTest2016LikePythonSentencePiece() throws IOException {
    try (MarianTokenizer tok = MarianTokenizer.open(model)) {
      for (String lang : List.of("en", "de")) {
        List<String> lines = Files.readAllLines(data.resolve("test2016." + lang));
        int[][] want = ids(expected.resolve("test2016." + lang + ".ids"));
        assertEquals(1000, lines.size());
        assertEquals(lines.size(), want.length);
        int[][] got = tok.encodeAll(lines);
        for (int i = 0; i < want.length; i++) {
          assertArrayEquals(want[i], got[i], "test2016." + lang + " line " + (i + 1));
        }
      }
    }
  }

  @Test
  void decodesTest2016LikePythonSentencePiece() throws IOException {
    try (MarianTokenizer tok = MarianTokenizer.open(model)) {
      List<String> lines = Files.readAllLines(data.resolve("test2016.de"));
      JsonNode exceptions = new ObjectMapper().readTree(expected.resolve("test2016.de.decoded").toFile());
      int[][] ids = ids(expected.resolve("test2016.de.ids"));
      for (int i = 0; i < ids.length; i++) {
        JsonNode e = exceptions.get(String.valueOf(i + 1));
        String want = e != null ? e.textValue() : lines.get(i);
        assertEquals(want, tok.decode(ids[i]), "test2016.de line " + (i + 1));
      }
    }
  }
}
