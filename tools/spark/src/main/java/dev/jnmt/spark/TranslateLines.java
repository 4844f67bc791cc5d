package dev.jnmt.spark;

import java.nio.charset.StandardCharsets;

/**
 * The line rules of {@code jnmt translate} (the CLI's {@code TranslateLineReader}), for lines that Hadoop
 * split on '\n' only: one trailing '\r' removed (CRLF files), invalid UTF-8 replaced by U+FFFD, a
 * stray '\r' or U+2028 inside a line kept. A translation never spans lines.
 */
public final class TranslateLines {

  private TranslateLines() {}

  /** The text of one line given its bytes without the '\n'. */
  public static String decode(byte[] bytes, int length) {
    int len = length;
    if (len > 0 && bytes[len - 1] == '\r') {
      len--;
    }
    return new String(bytes, 0, len, StandardCharsets.UTF_8);
  }

  /** Line breaks inside a translation (possible from odd vocabularies) become spaces, as in the CLI. */
  public static String oneLine(String s) {
    return s.indexOf('\n') < 0 && s.indexOf('\r') < 0 ? s : s.replace('\n', ' ').replace('\r', ' ');
  }
}
