package dev.jnmt.decoder.search;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A fake decoder whose next-token probabilities are a function of (sentence, generated tokens): logits
 * are ln(p), so the step log-probabilities are p's logarithms up to float rounding.
 */
final class TableSession implements DecoderSession {

  private final int vocab;
  private final BiFunction<Integer, List<Integer>, double[]> probs;
  private List<List<Integer>> inputs = new ArrayList<>();
  private List<Integer> sentence = new ArrayList<>();
  int steps;
  int maxRows;

  TableSession(int sentences, int vocab, BiFunction<Integer, List<Integer>, double[]> probs) {
    this.vocab = vocab;
    this.probs = probs;
    for (int s = 0; s < sentences; s++) {
      inputs.add(new ArrayList<>());
      sentence.add(s);
    }
  }

  @Override
  public int vocabSize() {
    return vocab;
  }

  @Override
  public int rows() {
    return inputs.size();
  }

  @Override
  public void step(int[] tokens, float[] logits) {
    steps++;
    maxRows = Math.max(maxRows, tokens.length);
    for (int r = 0; r < tokens.length; r++) {
      List<Integer> in = inputs.get(r);
      in.add(tokens[r]);
      double[] p = probs.apply(sentence.get(r), in.subList(1, in.size()));
      for (int v = 0; v < vocab; v++) {
        logits[r * vocab + v] = (float) Math.log(p[v]);
      }
    }
  }

  @Override
  public void reorder(int[] parents) {
    List<List<Integer>> in = new ArrayList<>();
    List<Integer> sent = new ArrayList<>();
    for (int p : parents) {
      in.add(new ArrayList<>(inputs.get(p)));
      sent.add(sentence.get(p));
    }
    inputs = in;
    sentence = sent;
  }
}
