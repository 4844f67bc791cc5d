package dev.jnmt.bleu;

import java.util.regex.Pattern;

/**
 * sacrebleu's {@code TercomTokenizer} (a port of tercom's {@code Normalizer}), signature {@code
 * tercom}. In order: Python lowercasing unless case-sensitive; with {@code normalized}, the
 * general/Western rules (joined lines, four XML entities, ASCII punctuation split off except {@code
 * ' , - .}, {@code 's} split, {@code .}/{@code ,} split unless next to a digit, {@code -} split
 * after a digit) and, with {@code asianSupport} too, CJK ideographs and CJK/full-width punctuation
 * split per character; with {@code noPunct}, {@code .,?:;!"()} removed (and, with {@code
 * asianSupport}, the CJK and full-width punctuation too); finally whitespace runs collapse.
 */
final class TerTokenizer {

  // Python re patterns, character for character; every class below is in the BMP
  private static final Pattern WESTERN_PUNCT = Pattern.compile("([{-~\\[-` -&(-+:-@/])");
  private static final Pattern POSSESSIVE = Pattern.compile("'s ");
  // Python's '$' (end, or before a final \n); it can never match here (the line ends in a space)
  private static final Pattern POSSESSIVE_END = Pattern.compile("'s$", Pattern.UNIX_LINES);
  private static final Pattern PERIOD_COMMA_1 = Pattern.compile("([^0-9])([\\.,])");
  private static final Pattern PERIOD_COMMA_2 = Pattern.compile("([\\.,])([^0-9])");
  private static final Pattern DASH = Pattern.compile("([0-9])(-)");

  private static final Pattern CJK_1 = Pattern.compile("([\u4e00-\u9fff\u3400-\u4dbf])");
  private static final Pattern CJK_2 = Pattern.compile("([\u31c0-\u31ef\u2e80-\u2eff])");
  private static final Pattern CJK_3 = Pattern.compile("([\u3300-\u33ff\uf900-\ufaff\ufe30-\ufe4f])");
  private static final Pattern CJK_4 = Pattern.compile("([\u3200-\u3f22])");
  // sacrebleu's kana rules; anchored at the start of the line, which normalization has padded
  // with a space, so (as in sacrebleu) they never fire
  private static final Pattern HIRAGANA =
      Pattern.compile(
          "(^|^[\u3040-\u309f])([\u3040-\u309f]+)(?=$|^[\u3040-\u309f])", Pattern.UNIX_LINES);
  private static final Pattern KATAKANA =
      Pattern.compile(
          "(^|^[\u30a0-\u30ff])([\u30a0-\u30ff]+)(?=$|^[\u30a0-\u30ff])", Pattern.UNIX_LINES);
  private static final Pattern KATAKANA_EXT =
      Pattern.compile(
          "(^|^[\u31f0-\u31ff])([\u31f0-\u31ff]+)(?=$|^[\u31f0-\u31ff])", Pattern.UNIX_LINES);
  private static final Pattern ASIAN_PUNCT =
      Pattern.compile("([\u3001\u3002\u3008-\u3011\u3014-\u301f\uff61-\uff65\u30fb])");
  private static final Pattern FULL_WIDTH_PUNCT =
      Pattern.compile("([\uff0e\uff0c\uff1f\uff1a\uff1b\uff01\uff02\uff08\uff09])");
  private static final Pattern PUNCT = Pattern.compile("[\\.,\\?:;!\"\\(\\)]");

  private final boolean normalized;
  private final boolean noPunct;
  private final boolean asianSupport;
  private final boolean caseSensitive;

  TerTokenizer(boolean normalized, boolean noPunct, boolean asianSupport, boolean caseSensitive) {
    this.normalized = normalized;
    this.noPunct = noPunct;
    this.asianSupport = asianSupport;
    this.caseSensitive = caseSensitive;
  }

  /** The tokens of an (already right-stripped) line. */
  String[] tokens(String sent) {
    if (sent.isEmpty()) {
      return new String[0];
    }
    String s = caseSensitive ? sent : Py.lower(sent);
    if (normalized) {
      s = western(s);
      if (asianSupport) {
        s = asian(s);
      }
    }
    if (noPunct) {
      s = PUNCT.matcher(s).replaceAll("");
      if (asianSupport) {
        s = ASIAN_PUNCT.matcher(s).replaceAll("");
        s = FULL_WIDTH_PUNCT.matcher(s).replaceAll("");
      }
    }
    return Py.split(s);
  }

  private static String western(String s) {
    s = s.replace("\n-", "").replace("\n", " ");
    s = s.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">");
    s = " " + s + " ";
    s = WESTERN_PUNCT.matcher(s).replaceAll(" $1 ");
    s = POSSESSIVE.matcher(s).replaceAll(" 's ");
    s = POSSESSIVE_END.matcher(s).replaceAll(" 's");
    s = PERIOD_COMMA_1.matcher(s).replaceAll("$1 $2 ");
    s = PERIOD_COMMA_2.matcher(s).replaceAll(" $1 $2");
    s = DASH.matcher(s).replaceAll("$1 $2 ");
    return s;
  }

  private static String asian(String s) {
    s = CJK_1.matcher(s).replaceAll(" $1 ");
    s = CJK_2.matcher(s).replaceAll(" $1 ");
    s = CJK_3.matcher(s).replaceAll(" $1 ");
    s = CJK_4.matcher(s).replaceAll(" $1 ");
    s = HIRAGANA.matcher(s).replaceAll("$1 $2 ");
    s = KATAKANA.matcher(s).replaceAll("$1 $2 ");
    s = KATAKANA_EXT.matcher(s).replaceAll("$1 $2 ");
    s = ASIAN_PUNCT.matcher(s).replaceAll(" $1 ");
    s = FULL_WIDTH_PUNCT.matcher(s).replaceAll(" $1 ");
    return s;
  }
}
