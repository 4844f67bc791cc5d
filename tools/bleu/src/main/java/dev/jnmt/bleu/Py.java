package dev.jnmt.bleu;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The few Python 3 string and number semantics that sacrebleu's results depend on, re-done in Java.
 *
 * <p>Java's own notions differ in ways that change scores: {@code \s} and {@link
 * Character#isWhitespace} miss NBSP, NEL, U+2007, U+202F; {@link String#trim()} only strips ASCII
 * controls and also strips the left side; {@code String.format("%.1f")} rounds the shortest decimal
 * string half-up where Python rounds the exact binary value half-to-even; {@link
 * Double#toString(double)} switches to exponent notation at other thresholds than Python's {@code
 * repr}.
 */
public final class Py {
  private Py() {}

  /**
   * Python's {@code str.isspace()} for one code point: the characters with bidirectional class WS, B
   * or S, or general category Zs. This set has been stable across Unicode versions since 6.3.
   */
  public static boolean isSpace(int cp) {
    if (cp <= 0x20) {
      return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
    }
    if (cp < 0x85) {
      return false;
    }
    return cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }

  /** Python's {@code s.rstrip()} (whitespace as {@link #isSpace}). */
  public static String rstrip(String s) {
    int end = s.length();
    // every Python whitespace character is in the BMP, so stepping by char is exact
    while (end > 0 && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return end == s.length() ? s : s.substring(0, end);
  }

  /** Python's {@code s.strip()}. */
  public static String strip(String s) {
    int end = s.length();
    while (end > 0 && isSpace(s.charAt(end - 1))) {
      end--;
    }
    int start = 0;
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    return start == 0 && end == s.length() ? s : s.substring(start, end);
  }

  /** Python's {@code s.split()} with no argument: runs of whitespace separate, no empty fields. */
  public static String[] split(String s) {
    List<String> out = new ArrayList<>();
    int n = s.length();
    int i = 0;
    while (i < n) {
      while (i < n && isSpace(s.charAt(i))) {
        i++;
      }
      if (i == n) {
        break;
      }
      int start = i;
      while (i < n && !isSpace(s.charAt(i))) {
        i++;
      }
      out.add(s.substring(start, i));
    }
    return out.toArray(new String[0]);
  }

  /** {@link #split(String)} over the first {@code len} chars of a buffer. */
  public static String[] split(char[] buf, int len) {
    String[] out = new String[8];
    int count = 0;
    int i = 0;
    while (i < len) {
      while (i < len && isSpace(buf[i])) {
        i++;
      }
      if (i == len) {
        break;
      }
      int start = i;
      while (i < len && !isSpace(buf[i])) {
        i++;
      }
      if (count == out.length) {
        out = java.util.Arrays.copyOf(out, count * 2);
      }
      out[count++] = new String(buf, start, i - start);
    }
    return count == out.length ? out : java.util.Arrays.copyOf(out, count);
  }

  /** Python's {@code ''.join(s.split())}: every whitespace character removed. */
  public static String removeSpaces(String s) {
    int n = s.length();
    int i = 0;
    while (i < n && !isSpace(s.charAt(i))) {
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder sb = new StringBuilder(n);
    sb.append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (!isSpace(c)) {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /**
   * Python's {@code str.lower()}: full Unicode lowercasing, including the unconditional special
   * casings ({@code İ} → {@code i̇}) and the final-sigma rule. {@link Locale#ROOT} keeps Java from
   * applying Turkish or Lithuanian rules. Both sides follow their own Unicode version (JDK 25:
   * Unicode 16; CPython 3.11: 14, 3.12: 15), so only letters added in between can differ.
   */
  public static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /**
   * Python's {@code f"{x:.{width}f}"}: the exact binary value rounded half-to-even to {@code width}
   * decimals (so 0.15 gives {@code 0.1} and 45.25 gives {@code 45.2}, unlike {@code String.format}).
   */
  public static String fixed(double x, int width) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    String s = new BigDecimal(x).setScale(width, RoundingMode.HALF_EVEN).toPlainString();
    // Python keeps the sign of a negative value that rounds to zero ("-0.0")
    if ((x < 0 || (x == 0 && 1 / x < 0)) && !s.startsWith("-")) {
      s = "-" + s;
    }
    return s;
  }

  /**
   * Python's {@code repr(float)}: the shortest string that round-trips, in positional notation when
   * the decimal exponent is in [-4, 16), otherwise {@code 1.5e-07} style.
   */
  public static String floatRepr(double x) {
    if (Double.isNaN(x)) {
      return "nan";
    }
    if (Double.isInfinite(x)) {
      return x > 0 ? "inf" : "-inf";
    }
    if (x == 0) {
      return 1 / x < 0 ? "-0.0" : "0.0";
    }
    // Since JDK 19, Double.toString gives the shortest round-tripping digits, as repr does.
    BigDecimal bd = new BigDecimal(Double.toString(Math.abs(x))).stripTrailingZeros();
    String digits = bd.unscaledValue().toString();
    int exp = digits.length() - 1 - bd.scale();
    String sign = x < 0 ? "-" : "";
    if (exp >= -4 && exp < 16) {
      String plain = bd.toPlainString();
      return sign + (plain.indexOf('.') < 0 ? plain + ".0" : plain);
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    String e = Integer.toString(Math.abs(exp));
    return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
  }

  /**
   * A JSON string literal as Python's {@code json.dumps} writes it; with {@code asciiOnly} (the
   * {@code ensure_ascii=True} default) every non-ASCII UTF-16 unit becomes a {@code \\uXXXX} escape.
   */
  public static String jsonString(String s, boolean asciiOnly) {
    StringBuilder sb = new StringBuilder(s.length() + 2);
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20 || (asciiOnly && c > 0x7E)) {
            sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
