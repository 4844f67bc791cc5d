package dev.jnmt.bleu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Hand-computed chrF / chrF++ statistics; the scores were also checked with sacrebleu 2.6.0. */
class ChrfTest {

  private static final Chrf CHRF = new Chrf(Chrf.Options.DEFAULT);
  private static final Chrf CHRF_PP = new Chrf(Chrf.Options.CHRF_PLUS_PLUS);

  @Test
  void characterStatisticsAndEffectiveOrder() {
    // hyp "ab", ref "abc": order 1: 2 hyp, 3 ref, 2 match; order 2: 1, 2, 1;
    // order 3: the hyp has none: [0, 1, 0]; orders 4-6: the ref has none, so hyp is 0 too.
    long[] s = CHRF.segmentStats("ab", List.of("abc"));
    assertArrayEquals(
        new long[] {2, 3, 2, 1, 2, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, s);
    // effective orders 1 and 2: P = (1 + 1)/2, R = (2/3 + 1/2)/2, F2 = 5PR/(4P + R)
    double p = 1.0;
    double r = (2.0 / 3 + 0.5) / 2;
    assertEquals(100 * 5 * p * r / (4 * p + r), CHRF.score(s).score(), 1e-12);
    assertEquals("chrF2 = 63.64", CHRF.score(s).format(2, false, "", false));
  }

  @Test
  void chrfPlusPlusAddsWordOrders() {
    // words: hyp [ab], ref [abc]: word 1-grams [1, 1, 0]; word 2-grams: the ref has none -> [0,0,0]
    long[] s = CHRF_PP.segmentStats("ab", List.of("abc"));
    assertArrayEquals(new long[] {1, 1, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(s, 18, 24));
    // effective: char 1, char 2, word 1 -> P = (1+1+0)/3, R = (2/3+1/2+0)/3
    double p = 2.0 / 3;
    double r = (2.0 / 3 + 0.5) / 3;
    assertEquals(100 * 5 * p * r / (4 * p + r), CHRF_PP.score(s).score(), 1e-12);
    assertEquals("chrF2++ = 42.42", CHRF_PP.score(s).format(2, false, "", false));
  }

  @Test
  void whitespaceIsRemovedUnlessAsked() {
    // "a b" -> "ab" by default, so it equals "ab" exactly
    assertEquals(100.0, CHRF.sentenceScore("a b", List.of("ab")).score(), 1e-9);
    Chrf ws = new Chrf(new Chrf.Options(6, 0, 2, false, true, false));
    long[] s = ws.segmentStats("a b", List.of("ab"));
    assertArrayEquals(new long[] {3, 2, 2}, java.util.Arrays.copyOfRange(s, 0, 3));
  }

  @Test
  void punctuationIsSplitFromOneEndOfAWordOnly() {
    assertEquals(List.of("(hi", ")"), Chrf.words("(hi)"));
    assertEquals(List.of("hi.", "."), Chrf.words("hi.."));
    assertEquals(List.of("(", "hi"), Chrf.words("(hi"));
    assertEquals(List.of(".", "a", "«b»", "😀"), Chrf.words(". a «b» 😀"));
  }

  @Test
  void bestReferenceIsChosenPerSegmentByItsF() {
    // the second reference matches exactly, so its counts are kept
    long[] s = CHRF.segmentStats("abc", List.of("xyz", "abc"));
    assertEquals(100.0, CHRF.score(s).score(), 1e-9);
    assertArrayEquals(new long[] {3, 3, 3}, java.util.Arrays.copyOfRange(s, 0, 3));
    // ties keep the first reference
    long[] t = CHRF.segmentStats("ab", List.of("abx", "aby"));
    assertArrayEquals(CHRF.segmentStats("ab", List.of("abx")), t);
  }

  @Test
  void epsilonSmoothingAveragesPerOrderF() {
    Chrf eps = new Chrf(new Chrf.Options(6, 0, 2, false, false, true));
    // hyp "ab", ref "abc": f1 = 5*1*(2/3)/(4+2/3), f2 = 5*1*(1/2)/(4+1/2), f3: prec = eps (no hyp
    // n-gram), rec = 0 -> 5*eps*0/(4*eps) = 0; orders 4-6: eps/eps -> 5*eps*eps/(5*eps)
    double f1 = 5 * (2.0 / 3) / (4 + 2.0 / 3);
    double f2 = 5 * 0.5 / 4.5;
    double e = 1e-16;
    double f456 = 5 * e * e / (4 * e + e);
    double expected = 100 * (f1 + f2 + 0 + 3 * f456) / 6;
    assertEquals(expected, eps.sentenceScore("ab", List.of("abc")).score(), 1e-12);
    assertEquals(
        "nrefs:1|case:mixed|eff:no|nc:6|nw:0|space:no|version:2.6.0",
        eps.signature(1).format(false));
  }

  @Test
  void signaturesAndNames() {
    assertEquals(
        "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0",
        CHRF.signature(1).format(false));
    assertEquals(
        "#:2|c:lc|e:yes|nc:6|nw:2|s:yes|v:2.6.0",
        new Chrf(new Chrf.Options(6, 2, 2, true, true, false)).signature(2).format(true));
    assertEquals("chrF2", CHRF.sentenceScore("a", List.of("a")).name());
    assertEquals("chrF2++", CHRF_PP.sentenceScore("a", List.of("a")).name());
    assertEquals("chrF3+", new Chrf(new Chrf.Options(6, 1, 3, false, false, false))
        .sentenceScore("a", List.of("a")).name());
  }

  @Test
  void emptyHypothesisOrReference() {
    assertEquals(0.0, CHRF.sentenceScore("", List.of("abc")).score());
    assertEquals(0.0, CHRF.sentenceScore("abc", List.of("")).score());
    assertEquals(0.0, CHRF.sentenceScore("", List.of("")).score());
  }

  @Test
  void lowercaseOption() {
    Chrf lc = new Chrf(new Chrf.Options(6, 2, 2, true, false, false));
    assertEquals(100.0, lc.sentenceScore("ΣΟΦΟΣ Ok", List.of("σοφος ok")).score(), 1e-9);
  }

  @Test
  void packedAndStringPathsAgree() {
    Random rnd = new Random(11);
    for (Chrf.Options o :
        List.of(
            Chrf.Options.DEFAULT,
            Chrf.Options.CHRF_PLUS_PLUS,
            new Chrf.Options(12, 3, 1, false, true, false),
            new Chrf.Options(3, 6, 2, false, false, true),
            // 25 x 3 bits > 63: the packed path must hand over to the string twin
            new Chrf.Options(25, 25, 2, false, false, false))) {
      Chrf fast = new Chrf(o);
      Chrf slow = new Chrf(o);
      slow.forceStringKeys(true);
      for (int it = 0; it < 400; it++) {
        boolean big = it % 100 == 0; // more than 1023 distinct characters: no packing for order 6
        String hyp = randomText(rnd, big);
        List<String> refs = List.of(randomText(rnd, big), randomText(rnd, big));
        assertArrayEquals(slow.segmentStats(hyp, refs), fast.segmentStats(hyp, refs));
      }
    }
  }

  private static String randomText(Random rnd, boolean big) {
    StringBuilder sb = new StringBuilder();
    int n = big ? 2500 : rnd.nextInt(40);
    for (int i = 0; i < n; i++) {
      int r = rnd.nextInt(10);
      if (r == 0) {
        sb.append(' ');
      } else if (r == 1) {
        sb.append(".,()!".charAt(rnd.nextInt(5)));
      } else if (big) {
        sb.appendCodePoint(0x4E00 + rnd.nextInt(3000));
      } else {
        sb.append("abcde😀".charAt(rnd.nextInt(5)));
      }
    }
    return sb.toString();
  }
}
