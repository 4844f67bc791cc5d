package dev.jnmt.bleu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BleuTokenizerTest {

  private static String tok(BleuTokenizer t, String s) {
    return t.tokenize(s);
  }

  @ParameterizedTest(name = "13a: [{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "1,000.50|1,000.50",
        "in 2019.|in 2019 .",
        "10-12|10 - 12",
        "-5|-5",
        "a-b|a-b",
        "It's|It's",
        "«C’est|«C’est",
        "3.5€|3.5€",
        "1,5%|1,5 %",
        "a.,b|a . , b",
        "1.,2|1 . , 2",
        "...|. . .",
        "&apos;y&apos;|& apos ; y & apos ;",
        "&amp;lt; &quot;q&quot;|< \" q \"",
        "x<skipped>y|xy",
        "Hello, world!|Hello , world !",
        "(hi) [a] {b} <c>|( hi ) [ a ] { b } < c >",
        "e.g. U.S.A.|e . g . U . S . A .",
        "$100 #tag @user x/y|$ 100 # tag @ user x / y",
      })
  void tokenizer13aRules(String in, String out) {
    assertEquals(out, tok(BleuTokenizer.T13A, in));
  }

  @ParameterizedTest(name = "intl: [{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      value = {
        "in 2019.|in 2019.",
        "in 2019. Yes|in 2019 . Yes",
        "It's|It ' s",
        "-5|-5",
        "a -5|a - 5",
        "1,5%|1,5%",
        "1,000.50|1,000.50",
        "10-12|10-12",
        "3.5€|3.5 €",
        "«C’est|« C ’ est",
        "&amp;|& amp ;",
        "a+b=c|a + b = c",
      })
  void intlRules(String in, String out) {
    assertEquals(out, tok(BleuTokenizer.INTL, in));
  }

  @Test
  void zhSplitsSacrebleusRangesIncludingItsRangeBug() {
    assertEquals(
        "温 度 25 ℃ ， “ 你 好 ” — 世 界 … € 𠀀𠀁 ひらがな",
        tok(BleuTokenizer.ZH, "温度25℃，“你好”—世界…€ 𠀀𠀁 ひらがな"));
    assertEquals("Ａ Ｂ Ｃ １ ２ ３", tok(BleuTokenizer.ZH, "ＡＢＣ１２３"));
    // U+2000 itself is not in the buggy range (it starts at U+2001), and it is whitespace anyway
    assertTrue(BleuTokenizer.isChineseChar(0x2001));
    assertTrue(BleuTokenizer.isChineseChar(0x2A6D));
    assertTrue(!BleuTokenizer.isChineseChar(0x2A6E));
    // the other buggy pair (U+2F81..U+2FA1) lies inside the Kangxi range U+2F00..U+2FDF anyway
    assertTrue(BleuTokenizer.isChineseChar(0x2F81) && BleuTokenizer.isChineseChar(0x2FDF));
    assertTrue(!BleuTokenizer.isChineseChar(0x2FE0));
    assertTrue(!BleuTokenizer.isChineseChar(0x20000));
    assertTrue(!BleuTokenizer.isChineseChar(0x3042)); // kana
    // zh strips both sides and uses 13a's rules without the padding
    assertEquals("a , b", tok(BleuTokenizer.ZH, "  a,b "));
  }

  @Test
  void charIsOneTokenPerCodePoint() {
    assertArrayEquals(new String[] {"a", "😀", "b", "𠀀"}, BleuTokenizer.CHAR.tokens("a😀b 𠀀"));
    assertArrayEquals(new String[] {"x", "y"}, BleuTokenizer.CHAR.tokens("x\u00a0\u3000y"));
  }

  @Test
  void noneSplitsOnPythonWhitespaceOnly() {
    assertArrayEquals(
        new String[] {"a,b", "c\u200bd", "e"}, BleuTokenizer.NONE.tokens("a,b\u00a0c\u200bd\u2028e"));
  }

  @Test
  void namesAreSacrebleus() {
    for (String n : List.of("13a", "intl", "zh", "char", "none")) {
      assertEquals(n, BleuTokenizer.forName(n).orElseThrow().signature());
    }
    assertTrue(BleuTokenizer.forName("ja-mecab").isEmpty());
  }

  /** Every line of tokenize.tsv: sacrebleu 2.6.0's own output for hand-picked and random lines. */
  @Test
  void matchesSacrebleuOnGoldenLines() throws IOException {
    List<List<String>> rows = GoldenFiles.tsv("tokenize.tsv");
    assertTrue(rows.size() > 1000, "tokenize.tsv has " + rows.size() + " rows");
    int checked = 0;
    for (List<String> row : rows) {
      BleuTokenizer t = BleuTokenizer.forName(row.get(0)).orElseThrow();
      String in = GoldenFiles.jsonString(row.get(1));
      String expected = GoldenFiles.jsonString(row.get(2));
      assertEquals(expected, t.tokenize(in), () -> t.signature() + " on " + row.get(1));
      // the allocation-free path used for corpus scoring gives the same tokens
      Tokens into = new Tokens();
      t.tokensInto(in, new BleuTokenizer.Scratch(), into);
      assertEquals(expected, String.join(" ", into.toStrings()), () -> "tokensInto " + row.get(1));
      checked++;
    }
    assertEquals(rows.size(), checked);
  }

  // ---- twins: the literal sacrebleu regexes, run with java.util.regex ----

  private static final List<Pattern> RE13A =
      List.of(
          Pattern.compile("([\\{-\\~\\[-\\` -\\&\\(-\\+\\:-\\@\\/])"),
          Pattern.compile("([^0-9])([\\.,])"),
          Pattern.compile("([\\.,])([^0-9])"),
          Pattern.compile("([0-9])(-)"));
  private static final List<String> REPL13A = List.of(" $1 ", "$1 $2 ", " $1 $2", "$1 $2 ");

  static String regex13aPost(String s) {
    for (int i = 0; i < RE13A.size(); i++) {
      s = RE13A.get(i).matcher(s).replaceAll(REPL13A.get(i));
    }
    return String.join(" ", Py.split(s));
  }

  static String regexIntl(String s) {
    s = Pattern.compile("(\\P{N})(\\p{P})").matcher(s).replaceAll("$1 $2 ");
    s = Pattern.compile("(\\p{P})(\\P{N})").matcher(s).replaceAll(" $1 $2");
    s = Pattern.compile("(\\p{S})").matcher(s).replaceAll(" $1 ");
    return String.join(" ", Py.split(s));
  }

  private static String randomLine(Random rnd, boolean assignedOnly) {
    String alphabet = "ab1 9.,-'&;:!?()[]{}<>/\\@#$%^*_+=|~`\"\u00a0\t«»“”—…€℃→½²٣";
    StringBuilder sb = new StringBuilder();
    int n = rnd.nextInt(25);
    for (int i = 0; i < n; i++) {
      if (rnd.nextInt(6) == 0) {
        int cp;
        do {
          cp = rnd.nextInt(4) == 0 ? 0x10000 + rnd.nextInt(0x10000) : rnd.nextInt(0x3000);
        } while ((cp >= 0xD800 && cp <= 0xDFFF)
            || cp == '\n'
            || cp == '\r'
            || (assignedOnly && Character.getType(cp) == Character.UNASSIGNED));
        sb.appendCodePoint(cp);
      } else {
        sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
    }
    return sb.toString();
  }

  @Test
  void scanner13aEqualsTheRegexPasses() {
    Random rnd = new Random(13);
    for (int i = 0; i < 20000; i++) {
      String s = randomLine(rnd, false);
      assertEquals(
          regex13aPost(" " + s + " "), tok(BleuTokenizer.T13A, s), () -> s);
    }
  }

  @Test
  void scannerIntlEqualsTheRegexPasses() {
    Random rnd = new Random(14);
    for (int i = 0; i < 20000; i++) {
      // java.util.regex knows only the JDK's Unicode version, so stick to assigned code points
      String s = randomLine(rnd, true);
      assertEquals(regexIntl(s), tok(BleuTokenizer.INTL, s), () -> s);
    }
  }

  @Test
  void unicode17AdditionsAreClassifiedAsSacrebleusRegexModuleDoes() {
    assertTrue(BleuTokenizer.isSymbol(0x20C1)); // a currency sign new in Unicode 17
    assertTrue(BleuTokenizer.isPunct(0x2E60));
    assertTrue(BleuTokenizer.isNumber(0x11DE0));
    assertTrue(!BleuTokenizer.isSymbol(0x20C5) || Character.getType(0x20C5) != Character.UNASSIGNED);
  }

  @Test
  void regexPatternSanity() {
    // guards the twin itself: Java's \p{P} must be the Unicode category, not POSIX punctuation
    Matcher m = Pattern.compile("\\p{P}").matcher("«");
    assertTrue(m.matches());
  }
}
