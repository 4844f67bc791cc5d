// Over 400 lines: all of sacrebleu's BLEU tokenizers (13a, intl, zh, char, none) as hand-written scanners;
// each is small, they share their character tables.
package dev.jnmt.bleu;

import java.util.Arrays;
import java.util.Optional;

/**
 * sacrebleu's BLEU tokenizers (version {@value SacreBleu#VERSION}), each re-implemented as a
 * hand-written scanner that yields exactly what sacrebleu's regular-expression passes yield.
 *
 * <p>The regex passes are left-to-right and non-overlapping and every pattern is two characters
 * wide, so a scan that emits a replacement and skips past the consumed characters is equivalent.
 * {@code RegexTokenizers} in the tests keeps the literal regexes as a twin to compare against.
 *
 * <ul>
 *   <li>{@link #T13A} ({@code 13a}, the default): mteval-v13a. Drops {@code <skipped>}, unescapes
 *       {@code &quot; &amp; &lt; &gt;} (not {@code &apos;}), pads the line with a space on each
 *       side, splits ASCII punctuation except {@code ' , - .}, splits {@code .} and {@code ,}
 *       unless both neighbours are digits, and a {@code -} after a digit.
 *   <li>{@link #INTL} ({@code intl}): mteval-v14 international. Splits Unicode punctuation (\p{P}) off a
 *       preceding non-number and off a following non-number (so {@code 1,000.50} and {@code 10-12}
 *       stay whole), and every symbol (\p{S}). No padding, so {@code 2019.} at the end of a line stays one token.
 *   <li>{@link #ZH} ({@code zh}): spaces around every character sacrebleu considers Chinese (its
 *       range table, including the range bug that makes U+2001..U+2A6D and U+2F81..U+2FA1 count as
 *       Chinese), then the 13a punctuation rules without the padding.
 *   <li>{@link #CHAR} ({@code char}): every non-whitespace code point is a token.
 *   <li>{@link #NONE} ({@code none}): whitespace splitting only.
 * </ul>
 *
 * <p>{@link #tokens} and {@link #tokenize} receive the already right-stripped (and optionally
 * lowercased) line, as sacrebleu's {@code BLEU._preprocess_segment} hands it over.
 *
 * <p>Unicode versions: {@code intl} classifies code points with {@link Character#getType} (JDK 25:
 * Unicode 16.0) plus a table of the P/S/N characters added in Unicode 17.0, which sacrebleu's
 * {@code regex} module (2026.9.29) uses; checked equal on all 0x110000 code points. A sacrebleu
 * installed with an older {@code regex} uses older tables and can differ on recently added
 * characters.
 */
public enum BleuTokenizer {
  T13A("13a") {
    @Override
    String[] tokens(String line, Scratch scratch) {
      return regexpPostTokens(scratch, prepare13a(line, scratch));
    }

    @Override
    void tokensInto(String line, Scratch scratch, Tokens out) {
      regexpPostInto(scratch, prepare13a(line, scratch), out);
    }
  },
  INTL("intl") {
    @Override
    String[] tokens(String line, Scratch scratch) {
      int[] cps = line.codePoints().toArray();
      StringBuilder sb = new StringBuilder(line.length() + 16);
      // 1. (\P{N})(\p{P}) -> "\1 \2 "
      int i = 0;
      while (i < cps.length) {
        if (i + 1 < cps.length && !isNumber(cps[i]) && isPunct(cps[i + 1])) {
          sb.appendCodePoint(cps[i]).append(' ').appendCodePoint(cps[i + 1]).append(' ');
          i += 2;
        } else {
          sb.appendCodePoint(cps[i++]);
        }
      }
      cps = sb.toString().codePoints().toArray();
      sb.setLength(0);
      // 2. (\p{P})(\P{N}) -> " \1 \2"
      i = 0;
      while (i < cps.length) {
        if (i + 1 < cps.length && isPunct(cps[i]) && !isNumber(cps[i + 1])) {
          sb.append(' ').appendCodePoint(cps[i]).append(' ').appendCodePoint(cps[i + 1]);
          i += 2;
        } else {
          sb.appendCodePoint(cps[i++]);
        }
      }
      // 3. (\p{S}) -> " \1 "
      String s = sb.toString();
      sb.setLength(0);
      for (int k = 0; k < s.length(); ) {
        int cp = s.codePointAt(k);
        if (isSymbol(cp)) {
          sb.append(' ').appendCodePoint(cp).append(' ');
        } else {
          sb.appendCodePoint(cp);
        }
        k += Character.charCount(cp);
      }
      return Py.split(sb.toString());
    }
  },
  ZH("zh") {
    @Override
    String[] tokens(String line, Scratch scratch) {
      return regexpPostTokens(scratch, prepareZh(line, scratch));
    }

    @Override
    void tokensInto(String line, Scratch scratch, Tokens out) {
      regexpPostInto(scratch, prepareZh(line, scratch), out);
    }
  },
  CHAR("char") {
    @Override
    String[] tokens(String line, Scratch scratch) {
      // " ".join(line) then split(): one token per code point, whitespace dropped
      return line.codePoints()
          .filter(cp -> !Py.isSpace(cp))
          .mapToObj(Character::toString)
          .toArray(String[]::new);
    }
  },
  NONE("none") {
    @Override
    String[] tokens(String line, Scratch scratch) {
      return Py.split(line);
    }
  };

  private final String signature;

  BleuTokenizer(String signature) {
    this.signature = signature;
  }

  /** The tokens of one right-stripped line: the tokenizer's output split on Python whitespace. */
  public String[] tokens(String line) {
    return tokens(line, new Scratch());
  }

  /** {@link #tokens(String)} with reusable buffers (one {@link Scratch} per thread). */
  abstract String[] tokens(String line, Scratch scratch);

  /** {@link #tokens(String)} into a reusable {@link Tokens} (cleared first). */
  void tokensInto(String line, Scratch scratch, Tokens out) {
    out.clear();
    for (String t : tokens(line, scratch)) {
      out.add(t);
    }
  }

  /**
   * 13a's steps 1-2 and the padding: leaves {@code " " + line + " "} (after {@code <skipped>}
   * removal, newline handling and entity unescaping) in {@code scratch.b}; returns its length.
   */
  private static int prepare13a(String line, Scratch scratch) {
    if (line.contains("<skipped>")) {
      line = line.replace("<skipped>", "");
    }
    if (line.indexOf('\n') >= 0) {
      line = line.replace("-\n", "").replace("\n", " ");
    }
    if (line.indexOf('&') >= 0) {
      line =
          line.replace("&quot;", "\"")
              .replace("&amp;", "&")
              .replace("&lt;", "<")
              .replace("&gt;", ">");
    }
    int n = line.length() + 2;
    char[] padded = scratch.b(n);
    padded[0] = ' ';
    line.getChars(0, line.length(), padded, 1);
    padded[n - 1] = ' ';
    return n;
  }

  /**
   * zh's first step: strips the line and puts spaces around every "Chinese" character; the result
   * is left in {@code scratch.b} and its length returned.
   */
  private static int prepareZh(String line, Scratch scratch) {
    line = Py.strip(line);
    char[] b = scratch.b(3 * line.length());
    int n = 0;
    for (int k = 0; k < line.length(); ) {
      int cp = line.codePointAt(k);
      int cc = Character.charCount(cp);
      if (isChineseChar(cp)) {
        b[n++] = ' ';
        line.getChars(k, k + cc, b, n);
        n += cc;
        b[n++] = ' ';
      } else {
        line.getChars(k, k + cc, b, n);
        n += cc;
      }
      k += cc;
    }
    return n;
  }

  /** Growable work buffers, so that tokenizing a corpus does not allocate per line. */
  static final class Scratch {
    char[] a = new char[512];
    char[] b = new char[512];

    char[] a(int n) {
      if (a.length < n) {
        a = new char[Math.max(n, 2 * a.length)];
      }
      return a;
    }

    char[] b(int n) {
      if (b.length < n) {
        b = new char[Math.max(n, 2 * b.length)];
      }
      return b;
    }
  }

  /** The tokenizer's output as sacrebleu returns it: the tokens joined by single spaces. */
  public String tokenize(String line) {
    return String.join(" ", tokens(line));
  }

  /** The name sacrebleu prints in the signature's {@code tok:} field and accepts with {@code -tok}. */
  public String signature() {
    return signature;
  }

  /** The tokenizer with this sacrebleu name, if jnmt implements it. */
  public static Optional<BleuTokenizer> forName(String name) {
    return Arrays.stream(values()).filter(t -> t.signature.equals(name)).findFirst();
  }

  /**
   * sacrebleu's {@code TokenizerRegexp} (shared by 13a and zh) over the first {@code len} chars of
   * {@code scratch.b}: passes a-d, then the split on Python whitespace.
   */
  static String[] regexpPostTokens(Scratch scratch, int len) {
    char[] out = scratch.a(5 * len + 16);
    int n = new RegexpPipeline(out).run(scratch.b, len);
    return Py.split(out, n);
  }

  /** {@link #regexpPostTokens} into a {@link Tokens}, without a String per token. */
  static void regexpPostInto(Scratch scratch, int len, Tokens out) {
    out.clear();
    char[] buf = out.chars(5 * len + 16);
    out.splitFilled(new RegexpPipeline(buf).run(scratch.b, len));
  }

  /**
   * The four regex passes of {@code TokenizerRegexp} as one streaming pipeline. Each pass is a
   * left-to-right, non-overlapping substitution of a two-character pattern, i.e. a transducer that
   * holds back at most one character; chaining the four transducers char by char gives exactly what
   * running the passes one after the other gives (BleuTokenizerTest checks it against the literal
   * regexes), without the three intermediate strings.
   *
   * <ol type="a">
   *   <li>{@code ([\{-\~\[-\` -\&\(-\+\:-\@\/])} → {@code " \1 "}
   *   <li>{@code ([^0-9])([\.,])} → {@code "\1 \2 "}
   *   <li>{@code ([\.,])([^0-9])} → {@code " \1 \2"}
   *   <li>{@code ([0-9])(-)} → {@code "\1 \2 "}
   * </ol>
   *
   * Surrogate pairs need no care: the patterns' special characters are all ASCII, and the half of a
   * pair that a pass holds back or consumes is copied unchanged either way. Each input char yields
   * at most 5 output chars (a split punctuation mark 3; a '.' or ',' 1 plus two spaces from pass b
   * and two from pass c; a '-' 1 plus two from pass d), so 5 × the input length bounds the output.
   */
  private static final class RegexpPipeline {
    private final char[] out;
    private int len;
    private char pb;
    private boolean hasPb;
    private char pc;
    private boolean hasPc;
    private char pd;
    private boolean hasPd;

    RegexpPipeline(char[] out) {
      this.out = out;
    }

    int run(char[] src, int n) {
      // The common case runs on locals: when the three held-back chars and the new one are all
      // inert (not a digit, '.', ',' or '-'), passes b-d just shift by one char. Anything else
      // goes through the passes one by one (b, c, d) on the fields.
      char[] o = out;
      int l = len;
      char xb = pb;
      char xc = pc;
      char xd = pd;
      boolean fast = false;
      for (int i = 0; i < n; i++) {
        char c = src[i];
        // Pass a turns a space into three; one is enough, since passes b-d treat a space like any
        // other inert char and the final split merges runs of spaces.
        boolean split = c != ' ' && isAsciiPunctSplit(c);
        if (fast) {
          if (split) {
            // ' ', c, ' ' are all inert
            o[l++] = xd;
            o[l++] = xc;
            o[l++] = xb;
            xd = ' ';
            xc = c;
            xb = ' ';
            continue;
          }
          if (inert(c)) {
            o[l++] = xd;
            xd = xc;
            xc = xb;
            xb = c;
            continue;
          }
        }
        len = l;
        pb = xb;
        pc = xc;
        pd = xd;
        if (split) {
          b(' ');
          b(c);
          b(' ');
        } else {
          b(c);
        }
        l = len;
        xb = pb;
        xc = pc;
        xd = pd;
        fast = hasPb && hasPc && hasPd && inert(xb) && inert(xc) && inert(xd);
      }
      len = l;
      pb = xb;
      pc = xc;
      pd = xd;
      if (hasPb) {
        hasPb = false;
        c(pb);
      }
      if (hasPc) {
        hasPc = false;
        d(pc);
      }
      if (hasPd) {
        hasPd = false;
        out[len++] = pd;
      }
      return len;
    }

    private static boolean inert(char c) {
      return c > '9' || (c < '0' && c != '.' && c != ',' && c != '-');
    }

    private void b(char x) {
      if (hasPb && !isDigit(pb) && isDotComma(x)) {
        hasPb = false;
        c(pb);
        c(' ');
        c(x);
        c(' ');
      } else {
        if (hasPb) {
          c(pb);
        }
        pb = x;
        hasPb = true;
      }
    }

    private void c(char x) {
      if (hasPc && isDotComma(pc) && !isDigit(x)) {
        hasPc = false;
        d(' ');
        d(pc);
        d(' ');
        d(x);
      } else {
        if (hasPc) {
          d(pc);
        }
        pc = x;
        hasPc = true;
      }
    }

    private void d(char x) {
      if (hasPd && isDigit(pd) && x == '-') {
        hasPd = false;
        out[len++] = pd;
        out[len++] = ' ';
        out[len++] = '-';
        out[len++] = ' ';
      } else {
        if (hasPd) {
          out[len++] = pd;
        }
        pd = x;
        hasPd = true;
      }
    }
  }

  /** 13a's first character class: ASCII space and punctuation except {@code ' , - .}. */
  static boolean isAsciiPunctSplit(char c) {
    return (c >= 0x20 && c <= 0x26)
        || (c >= 0x28 && c <= 0x2B)
        || c == 0x2F
        || (c >= 0x3A && c <= 0x40)
        || (c >= 0x5B && c <= 0x60)
        || (c >= 0x7B && c <= 0x7E);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isDotComma(char c) {
    return c == '.' || c == ',';
  }

  /**
   * Code points assigned in Unicode 17.0 with a P, S or N category, which JDK 25 (Unicode 16.0)
   * still reports as unassigned: {@code first, last, category} triples. sacrebleu's {@code regex}
   * module (2026.9.29) already knows them; consulting this table only for unassigned code points
   * makes {@code intl} agree with it on every code point, and stays correct on newer JDKs.
   */
  private static final int[] UNICODE17_ADDITIONS = {
      0x20C1, 0x20C4, 'S',
      0x2B96, 0x2B96, 'S',
      0x2E60, 0x2E63, 'P',
      0xFBC3, 0xFBD2, 'S',
      0xFD90, 0xFD91, 'S',
      0xFDC8, 0xFDCE, 'S',
      0x10EC9, 0x10ECA, 'S',
      0x10ED0, 0x10ED0, 'P',
      0x10ED1, 0x10ED8, 'S',
      0x11DE0, 0x11DE9, 'N',
      0x1246F, 0x1246F, 'N',
      0x12475, 0x1247F, 'N',
      0x12550, 0x12686, 'N',
      0x16FF4, 0x16FF6, 'N',
      0x1CCFA, 0x1CCFC, 'S',
      0x1CEBA, 0x1CED0, 'S',
      0x1CED2, 0x1CED4, 'S',
      0x1CEDD, 0x1CEFD, 'S',
      0x1D1EB, 0x1D1FF, 'S',
      0x1D253, 0x1D25A, 'S',
      0x1D25D, 0x1D25E, 'S',
      0x1D260, 0x1D27F, 'S',
      0x1DB00, 0x1DB1C, 'S',
      0x1F1AE, 0x1F1AE, 'S',
      0x1F6D8, 0x1F6D9, 'S',
      0x1F777, 0x1F77A, 'S',
      0x1F7DA, 0x1F7DB, 'S',
      0x1F7F1, 0x1F7FF, 'S',
      0x1F8D0, 0x1F8D8, 'S',
      0x1FA54, 0x1FA57, 'S',
      0x1FA8A, 0x1FA8E, 'S',
      0x1FAC8, 0x1FAC8, 'S',
      0x1FACC, 0x1FACD, 'S',
      0x1FADD, 0x1FADD, 'S',
      0x1FAEA, 0x1FAEB, 'S',
      0x1FAEF, 0x1FAEF, 'S',
      0x1FAF9, 0x1FAFA, 'S',
      0x1FBFA, 0x1FBFA, 'S',
  };

  /** The category letter ('P', 'S', 'N') of a Unicode 17.0 addition, or 0. */
  private static char unicode17Category(int cp) {
    for (int i = 0; i < UNICODE17_ADDITIONS.length; i += 3) {
      if (cp >= UNICODE17_ADDITIONS[i] && cp <= UNICODE17_ADDITIONS[i + 1]) {
        return (char) UNICODE17_ADDITIONS[i + 2];
      }
    }
    return 0;
  }

  private static int type(int cp) {
    int t = Character.getType(cp);
    if (t != Character.UNASSIGNED) {
      return t;
    }
    return switch (unicode17Category(cp)) {
      case 'P' -> Character.OTHER_PUNCTUATION;
      case 'S' -> Character.OTHER_SYMBOL;
      case 'N' -> Character.OTHER_NUMBER;
      default -> t;
    };
  }

  /** \p{N}: Nd, Nl, No. */
  static boolean isNumber(int cp) {
    int t = type(cp);
    return t == Character.DECIMAL_DIGIT_NUMBER
        || t == Character.LETTER_NUMBER
        || t == Character.OTHER_NUMBER;
  }

  /** \p{P}: Pc, Pd, Ps, Pe, Pi, Pf, Po. */
  static boolean isPunct(int cp) {
    int t = type(cp);
    return t == Character.CONNECTOR_PUNCTUATION
        || t == Character.DASH_PUNCTUATION
        || t == Character.START_PUNCTUATION
        || t == Character.END_PUNCTUATION
        || t == Character.INITIAL_QUOTE_PUNCTUATION
        || t == Character.FINAL_QUOTE_PUNCTUATION
        || t == Character.OTHER_PUNCTUATION;
  }

  /** \p{S}: Sm, Sc, Sk, So. */
  static boolean isSymbol(int cp) {
    int t = type(cp);
    return t == Character.MATH_SYMBOL
        || t == Character.CURRENCY_SYMBOL
        || t == Character.MODIFIER_SYMBOL
        || t == Character.OTHER_SYMBOL;
  }

  /**
   * sacrebleu's {@code TokenizerZh._is_chinese_char}. Its table compares one-character strings
   * with the strings {@code '\u20000'}, {@code '\u2a6d6'}, {@code '\u2f800'} and {@code
   * '\u2fa1d'}, which Python reads as two characters each ({@code \u2000} + {@code 0} ...). String
   * comparison then makes U+2001..U+2A6D and U+2F81..U+2FA1 "Chinese", and no astral character is.
   */
  static boolean isChineseChar(int cp) {
    return (cp >= 0x3400 && cp <= 0x4DB5)
        || (cp >= 0x4E00 && cp <= 0x9FBB)
        || (cp >= 0xF900 && cp <= 0xFA2D)
        || (cp >= 0xFA30 && cp <= 0xFA6A)
        || (cp >= 0xFA70 && cp <= 0xFAD9)
        || (cp >= 0x2001 && cp <= 0x2A6D)
        || (cp >= 0x2F81 && cp <= 0x2FA1)
        || (cp >= 0xFF00 && cp <= 0xFFEF)
        || (cp >= 0x2E80 && cp <= 0x2EFF)
        || (cp >= 0x3000 && cp <= 0x303F)
        || (cp >= 0x31C0 && cp <= 0x31EF)
        || (cp >= 0x2F00 && cp <= 0x2FDF)
        || (cp >= 0x2FF0 && cp <= 0x2FFF)
        || (cp >= 0x3100 && cp <= 0x312F)
        || (cp >= 0x31A0 && cp <= 0x31BF)
        || (cp >= 0xFE10 && cp <= 0xFE1F)
        || (cp >= 0xFE30 && cp <= 0xFE4F)
        || (cp >= 0x2600 && cp <= 0x26FF)
        || (cp >= 0x2700 && cp <= 0x27BF)
        || (cp >= 0x3200 && cp <= 0x33FF);
  }
}
