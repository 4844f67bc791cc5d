package dev.jnmt.bleu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Access to {@code test-data/bleu}: files written by {@code test-data/bleu/generate.py} with
 * sacrebleu 2.6.0. TSV fields are JSON string literals (ASCII-only), so any character survives.
 */
public final class GoldenFiles {
  private GoldenFiles() {}

  /** {@code <repo>/test-data/bleu}; fails (never skips) when it is missing. */
  public static Path dir() {
    Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = cwd; p != null; p = p.getParent()) {
      Path d = p.resolve("test-data").resolve("bleu");
      if (Files.isDirectory(d)) {
        return d;
      }
    }
    assertTrue(false, "test-data/bleu not found above " + cwd);
    throw new AssertionError();
  }

  /** The rows of a TSV file whose fields are all JSON strings or plain words. */
  public static List<List<String>> tsv(String name) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    for (String line : Files.readAllLines(dir().resolve(name), StandardCharsets.US_ASCII)) {
      List<String> fields = new ArrayList<>();
      for (String f : line.split("\t", -1)) {
        fields.add(f);
      }
      rows.add(fields);
    }
    return rows;
  }

  /** Decodes one JSON string literal. */
  public static String jsonString(String lit) {
    int[] pos = {0};
    String s = parseString(lit, pos);
    if (pos[0] != lit.length()) {
      throw new IllegalArgumentException("trailing text in " + lit);
    }
    return s;
  }

  /** Decodes a JSON array of strings. */
  public static List<String> jsonStringArray(String lit) {
    List<String> out = new ArrayList<>();
    int[] pos = {1};
    if (lit.charAt(0) != '[') {
      throw new IllegalArgumentException(lit);
    }
    while (true) {
      while (lit.charAt(pos[0]) == ' ' || lit.charAt(pos[0]) == ',') {
        pos[0]++;
      }
      if (lit.charAt(pos[0]) == ']') {
        return out;
      }
      out.add(parseString(lit, pos));
    }
  }

  private static String parseString(String lit, int[] pos) {
    int i = pos[0];
    if (lit.charAt(i) != '"') {
      throw new IllegalArgumentException("not a JSON string at " + i + ": " + lit);
    }
    StringBuilder sb = new StringBuilder();
    i++;
    while (true) {
      char c = lit.charAt(i++);
      if (c == '"') {
        break;
      }
      if (c != '\\') {
        sb.append(c);
        continue;
      }
      char e = lit.charAt(i++);
      switch (e) {
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'u' -> {
          sb.append((char) Integer.parseInt(lit.substring(i, i + 4), 16));
          i += 4;
        }
        default -> sb.append(e);
      }
    }
    pos[0] = i;
    return sb.toString();
  }
}
