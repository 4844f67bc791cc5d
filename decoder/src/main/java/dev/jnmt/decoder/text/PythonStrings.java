package dev.jnmt.decoder.text;

/** Python's str.strip family, whose whitespace (str.isspace) differs from Java's String.strip. */
final class PythonStrings {

  private PythonStrings() {}

  /** Python's {@code str.isspace()} for one code point. */
  static boolean isSpace(int c) {
    return switch (c) {
      case '\t', '\n', 0x0b, 0x0c, '\r', 0x1c, 0x1d, 0x1e, 0x1f, ' ', 0x85, 0xa0, 0x1680, 0x2028,
          0x2029, 0x202f, 0x205f, 0x3000 ->
          true;
      default -> c >= 0x2000 && c <= 0x200a;
    };
  }

  static String strip(String s) {
    return rstrip(lstrip(s));
  }

  static String lstrip(String s) {
    int i = 0;
    while (i < s.length() && isSpace(s.charAt(i))) {
      i++;
    }
    return s.substring(i);
  }

  static String rstrip(String s) {
    int j = s.length();
    while (j > 0 && isSpace(s.charAt(j - 1))) {
      j--;
    }
    return s.substring(0, j);
  }
}
