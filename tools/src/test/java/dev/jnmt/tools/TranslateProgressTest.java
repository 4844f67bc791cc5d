package dev.jnmt.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TranslateProgressTest {

  @Test
  void barHasPercentRateElapsedAndEta() {
    // 25% of the bytes after 30 s: 90 s to go
    assertEquals("[######..................]  25% 1,200 sentences, 40.0 sentences/s, elapsed 0:30, ETA 1:30",
        TranslateProgress.line(30_000_000_000L, 250, 1000, 1200, 0));
    assertEquals("[........................]   0% 0 sentences, 0.0 sentences/s, elapsed 0:01, ETA --:--",
        TranslateProgress.line(1_000_000_000L, 0, 1000, 0, 0));
  }

  @Test
  void spinnerForUnknownSizeAndWhileLoading() {
    assertEquals("/ 1 sentence, 0.5 sentences/s, elapsed 0:02", TranslateProgress.line(2_000_000_000L, 10, -1, 1, 1));
    assertEquals("| loading the model, 0:00", TranslateProgress.line(0, 0, -1, -1, 0));
    assertEquals("1:01:01", TranslateProgress.clock(3661));
  }

  @Test
  void drawsWithinTheFirstSecondAndErasesWhenClosed() throws Exception {
    StringWriter sw = new StringWriter();
    TranslateProgress p = new TranslateProgress(new PrintWriter(sw), 100);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!sw.toString().contains("loading the model") && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    p.close();
    String s = sw.toString();
    assertTrue(s.startsWith("\r| loading the model, 0:00"), s);
    assertTrue(s.endsWith("\r"), "the line is erased at the end: " + s);
  }

  @Test
  void summarySaysOneSentence() {
    TranslateSummary s = new TranslateSummary();
    s.add("Hund");
    s.elapsed(1_000_000_000L);
    assertTrue(s.describe(0.5, 1, 1, "float32").startsWith("jnmt translate: 1 sentence, 1 source word in 1.00 s"),
        s.describe(0.5, 1, 1, "float32"));
  }
}
