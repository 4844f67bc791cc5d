package dev.jnmt.bleu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CrMath} against correctly rounded values from Python's decimal module (crmath.tsv). */
class CrMathTest {

  @Test
  void logAndExpAreCorrectlyRounded() throws IOException {
    List<List<String>> rows = GoldenFiles.tsv("crmath.tsv");
    assertTrue(rows.size() >= 3000, "crmath.tsv has " + rows.size() + " rows");
    for (List<String> row : rows) {
      double x = Double.parseDouble(row.get(0));
      double y = Double.parseDouble(row.get(2));
      assertEquals(Double.parseDouble(row.get(1)), CrMath.log(x), () -> "log " + row.get(0));
      assertEquals(Double.parseDouble(row.get(3)), CrMath.exp(y), () -> "exp " + row.get(2));
    }
  }

  @Test
  void specialValues() {
    assertEquals(0.0, CrMath.log(1.0));
    assertEquals(1.0, CrMath.exp(0.0));
    assertEquals(Math.log(100.0), CrMath.log(100.0));
    assertEquals(100.00000000000004, CrMath.exp(CrMath.log(100.0)));
    assertTrue(Double.isNaN(CrMath.log(-1)));
    assertEquals(Double.NEGATIVE_INFINITY, CrMath.log(0));
    assertEquals(0.0, CrMath.exp(-1e6));
  }
}
