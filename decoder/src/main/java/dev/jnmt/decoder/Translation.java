package dev.jnmt.decoder;

import dev.jnmt.decoder.search.Hypothesis;
import java.util.List;
import java.util.Locale;

/**
 * The result for one source sentence: up to n-best hypotheses, best first, with their detokenised
 * texts. A blank source gives one empty text and no hypotheses.
 *
 * @param texts detokenised hypotheses, best first (at least one element)
 * @param hypotheses the same hypotheses as ids and scores (empty for a blank source)
 * @param shortlistSize with a lexical shortlist, the number of target ids the log-probabilities were
 *     normalised over (the sentence's allowed ids); 0 without one (the full vocabulary)
 * @param sourceTokens the source's length in tokens ({@code </s>} included) before any cut to
 *     max_position_embeddings; 0 for a blank source or when not known
 */
public record Translation(List<String> texts, List<Hypothesis> hypotheses, int shortlistSize, int sourceTokens) {

  /** Without a shortlist. */
  public Translation(List<String> texts, List<Hypothesis> hypotheses) {
    this(texts, hypotheses, 0, 0);
  }

  /** Source length not recorded. */
  public Translation(List<String> texts, List<Hypothesis> hypotheses, int shortlistSize) {
    this(texts, hypotheses, shortlistSize, 0);
  }

  public Translation {
    texts = List.copyOf(texts);
    hypotheses = List.copyOf(hypotheses);
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("a translation has at least one text");
    }
  }

  /** The best translation. */
  public String text() {
    return texts.get(0);
  }

  /**
   * Readable: {@code Translation["Eine Katze schläft." (score -0.1234, log-prob -0.8638, 7 tokens), "…" (…)]}.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Translation[");
    for (int i = 0; i < texts.size(); i++) {
      sb.append(i == 0 ? "\"" : ", \"").append(texts.get(i)).append('"');
      if (i < hypotheses.size()) {
        Hypothesis h = hypotheses.get(i);
        sb.append(
            String.format(
                Locale.ROOT, " (score %.4f, log-prob %.4f, %d tokens)", h.score(), h.logProb(), h.tokens().length));
      }
    }
    return sb.append(']').toString();
  }
}
