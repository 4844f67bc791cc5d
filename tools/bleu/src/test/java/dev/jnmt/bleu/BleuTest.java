package dev.jnmt.bleu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hand-made cases whose n-gram statistics are worked out in the comments; the scores follow from
 * sacrebleu's formulas and were also checked against sacrebleu 2.6.0.
 */
class BleuTest {

  private static final Bleu DEFAULT = new Bleu(Bleu.Options.DEFAULT);

  private static Bleu sentence(SmoothMethod m) {
    return new Bleu(Bleu.Options.DEFAULT.withSmoothing(m, null).withEffectiveOrder(true));
  }

  private static String fmt2(BleuScore s) {
    return s.format(2, false, "", false);
  }

  @Test
  void papineniExampleStatistics() {
    // hyp: 7 x "the"; refs contain "the" at most twice (ref 1) -> 1-grams clipped to 2 of 7.
    // No ref has "the the": 0/6, 0/5, 0/4. Ref lengths 6 and 7, hyp 7 -> closest is 7.
    long[] stats =
        DEFAULT.segmentStats(
            "the the the the the the the",
            List.of("the cat is on the mat", "there is a cat on the mat"));
    assertArrayEquals(new long[] {7, 7, 2, 0, 0, 0, 7, 6, 5, 4}, stats);
    // exp smoothing: 200/7, 100/(2*6), 100/(4*5), 100/(8*4)
    BleuScore s = DEFAULT.score(stats);
    double expected =
        Math.exp(
            (Math.log(200.0 / 7) + Math.log(100.0 / 12) + Math.log(5) + Math.log(3.125)) / 4);
    assertEquals(expected, s.score(), 1e-12);
    assertEquals(
        "BLEU = 7.81 28.6/8.3/5.0/3.1 (BP = 1.000 ratio = 1.000 hyp_len = 7 ref_len = 7)",
        fmt2(s));
  }

  @Test
  void multiReferenceClippingTakesTheMaximumNotTheSum() {
    // "a" occurs once in each reference: max = 1 (a sum would allow 2)
    long[] stats = DEFAULT.segmentStats("a a a", List.of("a b", "a c"));
    assertArrayEquals(new long[] {3, 2, 1, 0, 0, 0, 3, 2, 1, 0}, stats);
    // a count that only one reference reaches still clips at that reference's count
    long[] two = DEFAULT.segmentStats("a a b b", List.of("a a x", "b b y"));
    assertEquals(4, two[2]); // a:2 (ref 1), b:2 (ref 2)
    assertEquals(2, two[3]); // "a a" and "b b"; "a b" is in neither
  }

  @Test
  void effectiveReferenceLengthIsTheClosestAndTheShorterOnATie() {
    long[] tie = DEFAULT.segmentStats("a b c d e", List.of("a b c d", "a b c d e f"));
    assertEquals(4, tie[1]);
    long[] closest = DEFAULT.segmentStats("a b c", List.of("a", "a b c d", "a b c d e f g"));
    assertEquals(4, closest[1]);
    // corpus reference length is the sum of the per-segment choices
    long[] corpus =
        DEFAULT.corpusStats(
            List.of("a b c d e", "a b c"),
            List.of(List.of("a b c d", "a"), List.of("a b c d e f", "a b c d")));
    assertEquals(8, corpus[1]);
    assertEquals(8, corpus[0]);
  }

  @Test
  void smoothingOnAShortSentence() {
    // hyp "Hello world" vs ref "Hello there world": hyp_len 2, ref_len 3, correct [2,0,0,0],
    // total [2,1,0,0]; BP = exp(1 - 3/2). Effective order stops at order 2 (total_3 = 0).
    double bp = Math.exp(1 - 1.5);
    String hyp = "Hello world";
    List<String> ref = List.of("Hello there world");
    // exp: p2 = 100/(2*1) -> sqrt(100*50)
    assertEquals(bp * Math.sqrt(5000), sentence(SmoothMethod.EXP).sentenceScore(hyp, ref).score(), 1e-9);
    // floor: p2 = 100*0.1/1 -> sqrt(100*10)
    assertEquals(bp * Math.sqrt(1000), sentence(SmoothMethod.FLOOR).sentenceScore(hyp, ref).score(), 1e-9);
    // add-k: orders 2..4 get +1/+1: 1/2, 1/1, 1/1 -> (100*50*100*100)^(1/4); all orders count now
    BleuScore addK = sentence(SmoothMethod.ADD_K).sentenceScore(hyp, ref);
    assertEquals(bp * Math.pow(100.0 * 50 * 100 * 100, 0.25), addK.score(), 1e-9);
    assertEquals(
        "BLEU = 51.00 100.0/50.0/100.0/100.0 (BP = 0.607 ratio = 0.667 hyp_len = 2 ref_len = 3)",
        fmt2(addK));
    // none: p2 = 0 -> log(0) floor -> 0
    assertEquals(0.0, sentence(SmoothMethod.NONE).sentenceScore(hyp, ref).score());
    // corpus BLEU (no effective order) averages over 4 orders, and p3 = p4 = 0 -> 0
    assertEquals(0.0, DEFAULT.sentenceScore(hyp, ref).score());
    assertEquals(
        "BLEU = 42.89 100.0/50.0/0.0/0.0 (BP = 0.607 ratio = 0.667 hyp_len = 2 ref_len = 3)",
        fmt2(sentence(SmoothMethod.EXP).sentenceScore(hyp, ref)));
  }

  @Test
  void expSmoothingIsARunningFactorOverZeroMatchOrdersOnly() {
    // correct [3,0,1,0], total [4,3,2,1]: p2 = 100/(2*3), p3 = 50, p4 = 100/(4*1)
    BleuScore s = DEFAULT.score(new long[] {4, 4, 3, 0, 1, 0, 4, 3, 2, 1});
    assertArrayEquals(new double[] {75, 100.0 / 6, 50, 25}, s.precisions(), 1e-12);
    BleuScore floor =
        new Bleu(Bleu.Options.DEFAULT.withSmoothing(SmoothMethod.FLOOR, 0.5))
            .score(new long[] {4, 4, 3, 0, 1, 0, 4, 3, 2, 1});
    assertArrayEquals(new double[] {75, 50.0 / 3, 50, 50}, floor.precisions(), 1e-12);
  }

  @Test
  void noMatchAtAllScoresZeroWithoutSmoothing() {
    for (SmoothMethod m : SmoothMethod.values()) {
      BleuScore s = sentence(m).sentenceScore("x y z", List.of("a b c"));
      assertEquals(0.0, s.score(), m.toString());
      assertArrayEquals(new double[4], s.precisions(), m.toString());
      assertArrayEquals(new double[] {0, 0, 0, 0}, s.counts(), m.toString());
    }
  }

  @Test
  void emptyHypothesisAndEmptyReference() {
    BleuScore s = DEFAULT.sentenceScore("", List.of("a b"));
    assertEquals(0.0, s.score());
    assertEquals(0.0, s.bp());
    assertEquals("0.0/0.0/0.0/0.0 (BP = 0.000 ratio = 0.000 hyp_len = 0 ref_len = 2)", s.verbose());
    BleuScore e = DEFAULT.sentenceScore("a b", List.of(""));
    assertEquals("0.0/0.0/0.0/0.0 (BP = 1.000 ratio = 0.000 hyp_len = 2 ref_len = 0)", e.verbose());
  }

  @Test
  void perfectMatchIsExpOfLog100LikePython() {
    BleuScore s = DEFAULT.sentenceScore("a b c d", List.of("a b c d"));
    assertEquals(100.00000000000004, s.score());
    assertEquals("100.0", Py.fixed(s.score(), 1));
  }

  @Test
  void lowercaseAndTokenizerAreAppliedToBothSides() {
    Bleu lc = new Bleu(Bleu.Options.DEFAULT.withLowercase(true));
    assertArrayEquals(
        new long[] {3, 3, 3, 2, 1, 0, 3, 2, 1, 0}, lc.segmentStats("ÉCOLE, ok", List.of("école,OK")));
    assertArrayEquals(
        new long[] {3, 3, 1, 0, 0, 0, 3, 2, 1, 0},
        DEFAULT.segmentStats("ÉCOLE, ok", List.of("école,OK")));
  }

  @Test
  void signatures() {
    assertEquals(
        "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0",
        DEFAULT.signature(1).format(false));
    assertEquals("#:1|c:mixed|e:no|tok:13a|s:exp|v:2.6.0", DEFAULT.signature(1).format(true));
    Bleu b =
        new Bleu(
            new Bleu.Options(BleuTokenizer.INTL, true, SmoothMethod.FLOOR, null, 4, true));
    assertEquals(
        "nrefs:var|case:lc|eff:yes|tok:intl|smooth:floor[0.10]|version:2.6.0",
        b.signature(-1).format(false));
    Bleu k = new Bleu(Bleu.Options.DEFAULT.withSmoothing(SmoothMethod.ADD_K, null));
    assertEquals(
        "nrefs:2|case:mixed|eff:no|tok:13a|smooth:add-k[1.00]|version:2.6.0",
        k.signature(2).format(false));
  }

  @Test
  void variableNumberOfReferences() {
    List<List<String>> refs =
        List.of(Arrays.asList("a b", "c d"), Arrays.asList(null, "c d e"));
    assertEquals(-1, Bleu.numRefs(refs));
    long[] stats = DEFAULT.corpusStats(List.of("a b", "c d e"), refs);
    assertEquals(5, stats[1]);
    assertThrows(
        IllegalArgumentException.class,
        () -> DEFAULT.corpusStats(List.of("a"), List.of(Arrays.asList((String) null))));
    assertThrows(
        IllegalArgumentException.class,
        () -> DEFAULT.corpusStats(List.of("a", "b"), List.of(List.of("a"))));
  }

  @Test
  void corpusStatsAreTheSumOfSegmentStats() {
    List<String> hyps = List.of("the cat sat", "a dog , barked .", "");
    List<String> refs = List.of("the cat sat down", "the dog barked .", "nothing");
    long[] sum = new long[DEFAULT.statsSize()];
    for (int i = 0; i < hyps.size(); i++) {
      long[] s = DEFAULT.segmentStats(hyps.get(i), List.of(refs.get(i)));
      for (int k = 0; k < sum.length; k++) {
        sum[k] += s[k];
      }
    }
    assertArrayEquals(sum, DEFAULT.corpusStats(hyps, List.of(refs)));
  }

  /**
   * The packed-long path and the string-key twin agree; order 16 makes the ids overflow a long as
   * soon as 8 tokens are shared, so the fallback decision is exercised too.
   */
  @Test
  void packedAndStringPathsAgree() {
    Random rnd = new Random(7);
    for (int order : new int[] {1, 2, 4, 16}) {
      Bleu fast = new Bleu(Bleu.Options.DEFAULT.withMaxNgramOrder(order));
      Bleu slow = new Bleu(Bleu.Options.DEFAULT.withMaxNgramOrder(order));
      slow.forceStringKeys(true);
      for (int it = 0; it < 1500; it++) {
        int vocab = 2 + rnd.nextInt(it % 10 == 0 ? 200 : 12);
        String[] hyp = randomTokens(rnd, vocab, rnd.nextInt(it % 10 == 0 ? 300 : 30));
        String[][] refs = new String[1 + rnd.nextInt(3)][];
        for (int r = 0; r < refs.length; r++) {
          refs[r] = randomTokens(rnd, vocab, rnd.nextInt(it % 10 == 0 ? 300 : 30));
        }
        assertArrayEquals(slow.segmentStats(hyp, refs), fast.segmentStats(hyp, refs));
      }
    }
  }

  static String[] randomTokens(Random rnd, int vocab, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("w" + rnd.nextInt(vocab));
    }
    return out.toArray(new String[0]);
  }
}
