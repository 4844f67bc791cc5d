package dev.jnmt.decoder;

import dev.jnmt.decoder.search.Hypothesis;
import java.util.List;

/**
 * The result for one source sentence: up to n-best hypotheses, best first, with their detokenised
 * texts. A blank source gives one empty text and no hypotheses.
 *
 * @param texts detokenised hypotheses, best first (at least one element)
 * @param hypotheses the same hypotheses as ids and scores (empty for a blank source)
 * @param shortlistSize with a lexical shortlist, the number of target ids the log-probabilities were
 *     normalised over (the sentence's allowed ids); 0 without one (the full vocabulary)
 */
public record Translation(List<String> texts, List<Hypothesis> hypotheses, int shortlistSize) {

  /** Without a shortlist. */
  public Translation(List<String> texts, List<Hypothesis> hypotheses) {
    this(texts, hypotheses, 0);
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
}
