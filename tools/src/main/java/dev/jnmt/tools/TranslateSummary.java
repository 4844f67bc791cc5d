package dev.jnmt.tools;

import java.util.Locale;

/** Counts for the summary line of {@code jnmt translate}: sentences, source words, decoding time. */
final class TranslateSummary {

  private long sentences;
  private long words;
  private long nanos;

  void add(String source) {
    sentences++;
    words += countWords(source);
  }

  void elapsed(long nanos) {
    this.nanos = nanos;
  }

  long sentences() {
    return sentences;
  }

  long words() {
    return words;
  }

  double seconds() {
    return nanos / 1e9;
  }

  /** Whitespace-separated tokens, as Python's str.split() counts them (the reference's words/s). */
  static long countWords(String s) {
    long n = 0;
    boolean in = false;
    for (int i = 0; i < s.length(); i++) {
      boolean space = Character.isWhitespace(s.charAt(i)) || Character.isSpaceChar(s.charAt(i));
      if (!space && !in) {
        n++;
      }
      in = !space;
    }
    return n;
  }

  String describe(double loadSeconds, int beam, int threads, String precision) {
    double s = Math.max(seconds(), 1e-9);
    return String.format(
        Locale.ROOT,
        "jnmt translate: %d sentence%s, %d source word%s in %.2f s: %.2f sentences/s, %.1f words/s"
            + " (beam %d, %d thread%s, %s; model loaded in %.2f s)",
        sentences,
        sentences == 1 ? "" : "s",
        words,
        words == 1 ? "" : "s",
        seconds(),
        sentences / s,
        words / s,
        beam,
        threads,
        threads == 1 ? "" : "s",
        precision,
        loadSeconds);
  }
}
