package dev.jnmt.decoder.search;

/**
 * One translation hypothesis.
 *
 * @param tokens the generated target ids, without the decoder start token, ending with {@code </s>}
 *     unless the maximum length cut the hypothesis short
 * @param score the normalised score the search ranked by: {@code (logProb − wordPenalty·L) / L^α} with L
 *     = tokens.length and α the length penalty (HF: logProb / L)
 * @param logProb the sum of the step log-probabilities (after the logits processors)
 */
public record Hypothesis(int[] tokens, float score, float logProb) {

  /** The tokens without a trailing {@code eosId}. */
  public int[] tokensWithoutEos(int eosId) {
    int n = tokens.length;
    if (n > 0 && tokens[n - 1] == eosId) {
      n--;
    }
    return java.util.Arrays.copyOf(tokens, n);
  }

  /** Readable: {@code Hypothesis[score=-0.1234, logProb=-0.8638, tokens=[12, 7, 0]]}. */
  @Override
  public String toString() {
    return "Hypothesis[score=" + score + ", logProb=" + logProb + ", tokens=" + java.util.Arrays.toString(tokens) + "]";
  }
}
