package dev.jnmt.bleu;

import java.util.StringJoiner;

/**
 * A BLEU result with the numbers sacrebleu prints after the score.
 *
 * @param score BLEU in [0, 100]
 * @param counts matched n-grams per order (after add-k smoothing, as sacrebleu reports them)
 * @param totals hypothesis n-grams per order (after add-k smoothing)
 * @param precisions the (smoothed) n-gram precisions in percent
 * @param bp the brevity penalty
 * @param sysLen total hypothesis length in tokens
 * @param refLen total effective reference length in tokens
 */
public record BleuScore(
    double score,
    double[] counts,
    double[] totals,
    double[] precisions,
    double bp,
    long sysLen,
    long refLen)
    implements Score {

  @Override
  public String name() {
    return "BLEU";
  }

  /** {@code sysLen / refLen}, or 0 when the reference length is 0. */
  public double ratio() {
    return refLen != 0 ? (double) sysLen / (double) refLen : 0;
  }

  /**
   * {@code 68.4/43.5/29.3/20.2 (BP = 0.983 ratio = 0.983 hyp_len = 100 ref_len = 101)}.
   */
  @Override
  public String verbose() {
    StringJoiner p = new StringJoiner("/");
    for (double x : precisions) {
      p.add(Py.fixed(x, 1));
    }
    return p
        + " (BP = "
        + Py.fixed(bp, 3)
        + " ratio = "
        + Py.fixed(ratio(), 3)
        + " hyp_len = "
        + sysLen
        + " ref_len = "
        + refLen
        + ")";
  }
}
