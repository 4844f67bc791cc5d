package dev.jnmt.bleu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Pcg64} against NumPy's own draws ({@code test-data/bleu/rng.tsv}, generate_stats.py). */
class Pcg64Test {

  @Test
  void drawsWhatNumpyDraws() throws IOException {
    List<List<String>> rows = GoldenFiles.tsv("rng.tsv");
    assertTrue(rows.size() >= 30, "rng.tsv has " + rows.size() + " rows");
    for (List<String> row : rows) {
      BigInteger seed = new BigInteger(row.get(0));
      String kind = row.get(1);
      int n = Integer.parseInt(row.get(2));
      int rows_ = Integer.parseInt(row.get(3));
      long[] expected = parseLongs(row.get(4));
      Pcg64 rng = new Pcg64(seed);
      long[] got = new long[expected.length];
      if (kind.equals("choice")) {
        // choice(n, size=(rows, min(n, 50)))
        int cols = Math.min(n, 50);
        for (int i = 0; i < rows_ * cols; i++) {
          got[i] = rng.bounded(n);
        }
      } else {
        boolean[] b = rng.booleans(rows_ * n);
        for (int i = 0; i < b.length; i++) {
          got[i] = b[i] ? 1 : 0;
        }
      }
      assertArrayEquals(expected, got, () -> "seed " + seed + " " + kind + " " + n);
    }
  }

  @Test
  void rawOutputOfDefaultSeed() {
    // np.random.default_rng(12345).bit_generator.random_raw(3)
    Pcg64 rng = new Pcg64(12345);
    assertEquals("4193609425186963869", Long.toUnsignedString(rng.nextLong()));
    assertEquals("5843160025838961886", Long.toUnsignedString(rng.nextLong()));
    assertEquals("14708796524633321433", Long.toUnsignedString(rng.nextLong()));
  }

  @Test
  void choiceIsRowMajorBoundedDraws() {
    int[] c = new Pcg64(12345).choice(10, 2);
    // np.random.default_rng(12345).choice(10, size=(2, 10), replace=True)
    assertArrayEquals(
        new int[] {6, 2, 7, 3, 2, 7, 6, 6, 9, 3, 8, 3, 5, 5, 2, 1, 2, 6, 6, 9}, c);
  }

  @Test
  void rejectsBadBoundsAndSeeds() {
    assertThrows(IllegalArgumentException.class, () -> new Pcg64(1).bounded(0));
    assertThrows(IllegalArgumentException.class, () -> new Pcg64(-1));
    assertThrows(IllegalArgumentException.class, () -> Resampling.parseSeed("-3"));
    assertThrows(IllegalArgumentException.class, () -> Resampling.parseSeed("1.5"));
    assertEquals(null, Resampling.parseSeed("None"));
    assertEquals(BigInteger.valueOf(1000), Resampling.parseSeed(" 1_000 "));
  }

  private static long[] parseLongs(String json) {
    String body = json.substring(1, json.length() - 1).trim();
    if (body.isEmpty()) {
      return new long[0];
    }
    String[] parts = body.split(",\\s*");
    long[] out = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Long.parseLong(parts[i].trim());
    }
    return out;
  }
}
