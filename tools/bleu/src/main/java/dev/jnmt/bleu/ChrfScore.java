package dev.jnmt.bleu;

/**
 * A chrF / chrF++ result.
 *
 * @param score the F-score in [0, 100]
 * @param charOrder character n-gram order
 * @param wordOrder word n-gram order (2 for chrF++)
 * @param beta recall weight
 */
public record ChrfScore(double score, int charOrder, int wordOrder, int beta) implements Score {

  /** {@code chrF2}, or {@code chrF2++} for word order 2 (one {@code +} per word order). */
  @Override
  public String name() {
    return "chrF" + beta + "+".repeat(Math.max(0, wordOrder));
  }

  @Override
  public String verbose() {
    return "";
  }
}
