package dev.jnmt.decoder.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked beam searches over a fake decoder. Vocabulary: 0 = EOS, 1 = a, 2 = b, 3 = c, 4 = pad
 * (banned; also the start token).
 */
class BeamSearchTest {

  private static final int V = 5;
  private static final int EOS = 0;
  private static final int PAD = 4;

  private static SearchConfig config(int k, int nBest, int maxLength, float lp, float wp, boolean renorm) {
    return SearchConfig.builder(EOS, PAD)
        .beamSize(k)
        .nBest(nBest)
        .maxLength(maxLength)
        .lengthPenalty(lp)
        .wordPenalty(wp)
        .renormalizeLogits(renorm)
        .badWords(new int[][] {{PAD}})
        .forcedEosId(EOS)
        .build();
  }

  private static double[] p(double eos, double a, double b, double c) {
    return new double[] {eos, a, b, c, 1e-12};
  }

  private static String key(List<Integer> h) {
    return h.toString();
  }

  /**
   * Step 1: a .4, b .35, EOS .25 — EOS ranks third of 2K = 4, so it may not finish (K = 2). With length
   * penalty 0 it would otherwise win (ln .25 = −1.386).
   */
  private static double[] scenario(Integer s, List<Integer> h) {
    return switch (key(h)) {
      case "[]" -> p(.25, .4, .35, 1e-6);
      case "[1]" -> p(.1, .5, .3, .1);
      case "[2]" -> p(.1, .5, .3, .1);
      case "[1, 1]", "[2, 1]" -> p(.8, .1, .05, .05);
      default -> p(.01, .33, .33, .33);
    };
  }

  @Test
  void nanScoresAreAClearErrorNotAnIndexError() {
    double nan = Double.NaN;
    for (int k : new int[] {1, 3}) {
      TableSession s = new TableSession(1, V, (i, h) -> h.size() < 2 ? p(.25, .4, .35, 1e-6) : new double[] {nan, nan, nan, nan, nan});
      IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
          () -> BeamSearch.run(s, 1, config(k, 1, 20, 1f, 0f, false)));
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("the model produced NaN scores"), e.getMessage());
    }
    org.junit.jupiter.api.Assertions.assertEquals(2, GreedySearch.argmax(new float[] {Float.NaN, 1f, 2f, Float.NaN}, 0, 4));
  }

  @Test
  void eosOutsideTheTopKRanksDoesNotFinish() {
    TableSession s = new TableSession(1, V, BeamSearchTest::scenario);
    List<Hypothesis> h = BeamSearch.run(s, 1, config(2, 2, 20, 0f, 0f, false)).get(0);
    // Step 2 top-4: a·a ln .2, b·a ln .175, a·b ln .12, b·b ln .105 (no EOS). Step 3: both running
    // beams finish with EOS .8 at ranks 0 and 1; the next running beam (ln .2 + ln .1) is worse than
    // the worst finished one, so the search stops.
    assertEquals(2, h.size());
    assertArrayEquals(new int[] {1, 1, EOS}, h.get(0).tokens());
    assertArrayEquals(new int[] {2, 1, EOS}, h.get(1).tokens());
    assertEquals(Math.log(.2 * .8), h.get(0).score(), 1e-5);
    assertEquals(Math.log(.175 * .8), h.get(1).score(), 1e-5);
    assertEquals(3, s.steps);
  }

  @Test
  void lengthNormalisationAndWordPenalty() {
    // length penalty 1: scores are logProb / L
    TableSession s = new TableSession(1, V, BeamSearchTest::scenario);
    Hypothesis best = BeamSearch.run(s, 1, config(2, 1, 20, 1f, 0f, false)).get(0).get(0);
    assertArrayEquals(new int[] {1, 1, EOS}, best.tokens());
    assertEquals(Math.log(.16) / 3, best.score(), 1e-5);
    assertEquals(Math.log(.16), best.logProb(), 1e-5);
    // Marian-style: (logProb − wp·L) / L^α
    TableSession s2 = new TableSession(1, V, BeamSearchTest::scenario);
    Hypothesis wp = BeamSearch.run(s2, 1, config(2, 1, 20, 0.5f, 0.25f, false)).get(0).get(0);
    assertEquals((Math.log(.16) - 0.25 * 3) / Math.sqrt(3), wp.score(), 1e-5);
  }

  @Test
  void earlyEosInTheTopRanksFinishes() {
    // EOS ranks first at step 1 (.6): finished with ln .6 / 1; running beams continue with a, b.
    // Step 2: a·EOS = .2·.9 and b·EOS = .15·.9 finish at ranks 0 and 1 (scores /2).
    TableSession s =
        new TableSession(
            1,
            V,
            (x, h) ->
                switch (key(h)) {
                  case "[]" -> p(.6, .2, .15, .05);
                  case "[1]", "[2]" -> p(.9, .04, .03, .03);
                  default -> p(.01, .33, .33, .33);
                });
    List<Hypothesis> h = BeamSearch.run(s, 1, config(2, 2, 20, 1f, 0f, false)).get(0);
    assertArrayEquals(new int[] {EOS}, h.get(0).tokens());
    assertEquals(Math.log(.6), h.get(0).score(), 1e-5);
    // ln(.18)/2 = −0.857 beats ln(.135)/2 = −1.001 for the second slot
    assertArrayEquals(new int[] {1, EOS}, h.get(1).tokens());
    assertEquals(Math.log(.18) / 2, h.get(1).score(), 1e-5);
  }

  @Test
  void maxLengthForcesEosAndCountsTheStartToken() {
    // max_length 4: tokens at lengths 1 and 2 are free, at length 3 (= max_length − 1) EOS is forced
    // and adds 0 to the score.
    TableSession s = new TableSession(1, V, (x, h) -> p(.01, .5, .3, .19));
    List<Hypothesis> h = BeamSearch.run(s, 1, config(2, 2, 4, 1f, 0f, true)).get(0);
    assertEquals(3, s.steps);
    assertArrayEquals(new int[] {1, 1, EOS}, h.get(0).tokens());
    double renormA = Math.log(.5 / (1 - 1e-12));
    assertEquals(2 * renormA / 3, h.get(0).score(), 1e-5);
    // second best: a·b or b·a (equal scores): the earlier flat index wins, beam 0 (a) then token b
    assertArrayEquals(new int[] {1, 2, EOS}, h.get(1).tokens());
  }

  @Test
  void greedyTakesTheArgmaxUntilEos() {
    TableSession s =
        new TableSession(
            2,
            V,
            (sent, h) ->
                sent == 0
                    ? (h.size() < 3 ? p(.1, .2, .6, .1) : p(.7, .1, .1, .1))
                    : p(.05, .2, .2, .55));
    List<List<Hypothesis>> out = GreedySearch.run(s, 2, config(1, 1, 6, 1f, 0f, true));
    assertArrayEquals(new int[] {2, 2, 2, EOS}, out.get(0).get(0).tokens());
    // sentence 1 never emits EOS: 4 tokens then the forced EOS at length 5 = max_length − 1
    assertArrayEquals(new int[] {3, 3, 3, 3, EOS}, out.get(1).get(0).tokens());
    assertEquals(5, s.steps);
  }

  @Test
  void sentencesInABatchAreIndependent() {
    SearchConfig c = config(3, 3, 12, 1f, 0f, true);
    java.util.function.BiFunction<Integer, List<Integer>, double[]> f =
        (sent, h) -> {
          int n = h.size() + 3 * sent;
          double e = n % 5 == 4 ? .5 : .05;
          double a = (1 - e) * (0.2 + 0.1 * (n % 3));
          double b = (1 - e) * 0.3;
          return p(e, a, b, 1 - e - a - b);
        };
    List<List<Hypothesis>> batch = BeamSearch.run(new TableSession(3, V, f), 3, c);
    for (int s = 0; s < 3; s++) {
      final int sent = s;
      List<Hypothesis> alone =
          BeamSearch.run(new TableSession(1, V, (x, h) -> f.apply(sent, h)), 1, c).get(0);
      assertEquals(alone.size(), batch.get(s).size());
      for (int i = 0; i < alone.size(); i++) {
        assertArrayEquals(alone.get(i).tokens(), batch.get(s).get(i).tokens());
        assertEquals(alone.get(i).score(), batch.get(s).get(i).score());
      }
    }
  }

  @Test
  void candidateTiesGoToTheLowerFlatIndex() {
    float[] beamScores = {0f, 0f};
    // two beams, V = 4, identical rows: every score appears twice
    float[] lp = {-1f, -2f, -0.5f, -3f, -1f, -2f, -0.5f, -3f};
    float[] sc = new float[4];
    int[] beam = new int[4];
    int[] tok = new int[4];
    int n = BeamSearch.topCandidates(
        beamScores, lp, new float[2 * LogitsProcessor.T], new int[2][], 0, 2, 4, 4, sc, beam, tok);
    assertEquals(4, n);
    assertArrayEquals(new float[] {-0.5f, -0.5f, -1f, -1f}, sc);
    assertArrayEquals(new int[] {0, 1, 0, 1}, beam);
    assertArrayEquals(new int[] {2, 2, 0, 0}, tok);
  }

  @Test
  void firstStepUsesOneRowPerSentence() {
    TableSession s = new TableSession(2, V, (x, h) -> p(.1, .3, .3, .3));
    BeamSearch.run(s, 2, config(4, 1, 5, 1f, 0f, true));
    assertTrue(s.maxRows <= 8, "K rows per sentence after the first step");
  }
}
