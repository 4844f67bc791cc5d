package dev.jnmt.bleu;

import java.util.Arrays;

/**
 * The tokens of one line as ranges of a char buffer, so that scoring a corpus does not create a
 * {@code String} per token. Reused from line to line.
 */
final class Tokens {
  char[] chars = new char[512];
  int[] start = new int[64];
  int[] len = new int[64];
  int count;
  private int used;

  void clear() {
    count = 0;
    used = 0;
  }

  /** Makes {@link #chars} hold at least {@code n} chars (contents are not kept). */
  char[] chars(int n) {
    if (chars.length < n) {
      chars = new char[Math.max(n, 2 * chars.length)];
    }
    return chars;
  }

  /** Records the token {@code chars[from, from + n)}. */
  void addRange(int from, int n) {
    if (count == start.length) {
      start = Arrays.copyOf(start, 2 * count);
      len = Arrays.copyOf(len, 2 * count);
    }
    start[count] = from;
    len[count] = n;
    count++;
  }

  /** Appends a token's chars after the ones already there. */
  void add(String token) {
    int n = token.length();
    if (used + n > chars.length) {
      chars = Arrays.copyOf(chars, Math.max(used + n, 2 * chars.length));
    }
    token.getChars(0, n, chars, used);
    addRange(used, n);
    used += n;
  }

  /**
   * Records the whitespace-separated (Python {@code str.split()}) tokens of {@code chars[0, n)},
   * which the caller has just written.
   */
  void splitFilled(int n) {
    char[] c = chars;
    int i = 0;
    while (i < n) {
      while (i < n && Py.isSpace(c[i])) {
        i++;
      }
      if (i == n) {
        break;
      }
      int s = i;
      while (i < n && !Py.isSpace(c[i])) {
        i++;
      }
      addRange(s, i - s);
    }
    used = n;
  }

  String[] toStrings() {
    String[] out = new String[count];
    for (int i = 0; i < count; i++) {
      out[i] = new String(chars, start[i], len[i]);
    }
    return out;
  }
}
