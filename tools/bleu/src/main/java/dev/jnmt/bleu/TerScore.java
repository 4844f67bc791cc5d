package dev.jnmt.bleu;

/**
 * A TER result.
 *
 * @param score {@code 100 * edits / refLength} (see {@link Ter#score})
 * @param edits the total number of edits
 * @param refLength the total of the per-segment average reference lengths
 */
public record TerScore(double score, double edits, double refLength) implements Score {

  @Override
  public String name() {
    return "TER";
  }

  /** TER prints nothing after the score. */
  @Override
  public String verbose() {
    return "";
  }
}
