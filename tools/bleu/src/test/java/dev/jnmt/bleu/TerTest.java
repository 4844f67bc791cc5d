package dev.jnmt.bleu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TER tokenizer against sacrebleu's ({@code ter-tokenize.tsv}) and hand-checked edit counts. */
class TerTest {

  @Test
  void tokenizerMatchesSacrebleuForEveryOptionCombination() throws IOException {
    List<List<String>> rows = GoldenFiles.tsv("ter-tokenize.tsv");
    assertTrue(rows.size() >= 2000, "ter-tokenize.tsv has " + rows.size() + " rows");
    for (List<String> row : rows) {
      String flags = row.get(0);
      TerTokenizer tok =
          new TerTokenizer(
              flags.contains("n"), flags.contains("p"), flags.contains("a"), flags.contains("c"));
      String input = GoldenFiles.jsonString(row.get(1));
      String expected = GoldenFiles.jsonString(row.get(2));
      assertEquals(expected, String.join(" ", tok.tokens(input)), () -> flags + " " + row.get(1));
    }
  }

  private static int edits(String hyp, String ref) {
    return (int) Ter.segmentStats(hyp.isEmpty() ? new String[0] : hyp.split(" "),
        List.<String[]>of(ref.isEmpty() ? new String[0] : ref.split(" ")))[0];
  }

  @Test
  void editsCountShiftsAsOneEdit() {
    assertEquals(0, edits("a b c d", "a b c d"));
    // one phrase shift instead of two deletions and two insertions
    assertEquals(1, edits("c d a b x", "a b x c d"));
    assertEquals(1, edits("a b c", "a x c"));
    assertEquals(3, edits("", "a b c"));
    assertEquals(2, edits("a b", ""));
  }

  @Test
  void segmentStatsUseTheBestEditsAndTheAverageLength() {
    double[] s =
        Ter.segmentStats(
            "a b c".split(" "), List.of("a b c d".split(" "), "x y".split(" ")));
    assertArrayEquals(new double[] {1, 3.0}, s);
    Ter ter = new Ter(Ter.Options.DEFAULT);
    assertEquals(100.0, ter.score(new double[] {2, 0}).score());
    assertEquals(0.0, ter.score(new double[] {0, 0}).score());
    assertEquals(
        "nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.6.0",
        ter.signature(1).format(false));
    assertEquals("#:1|c:lc|t:tercom|nr:no|pn:yes|as:no|v:2.6.0", ter.signature(1).format(true));
  }

  @Test
  void performShiftMovesThePhrase() {
    int[] w = {0, 1, 2, 3, 4, 5};
    assertArrayEquals(new int[] {3, 4, 0, 1, 2, 5}, Ter.performShift(w, 3, 2, 0));
    assertArrayEquals(new int[] {0, 3, 4, 5, 1, 2}, Ter.performShift(w, 1, 2, 6));
    assertArrayEquals(new int[] {0, 3, 1, 2, 4, 5}, Ter.performShift(w, 1, 2, 2));
  }
}
