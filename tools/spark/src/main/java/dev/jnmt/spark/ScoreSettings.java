package dev.jnmt.spark;

import dev.jnmt.bleu.Bleu;
import dev.jnmt.bleu.BleuTokenizer;
import dev.jnmt.bleu.Chrf;
import dev.jnmt.bleu.SmoothMethod;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The scoring options of {@code jnmt bleu} that corpus scores depend on, with its defaults and checks.
 *
 * @param metrics {@code bleu}, {@code chrf}
 * @param tokenize the BLEU tokenizer's sacrebleu name
 * @param format {@code json} or {@code text}
 */
public record ScoreSettings(
    List<String> metrics,
    String tokenize,
    boolean lowercase,
    String smoothMethod,
    Double smoothValue,
    int chrfCharOrder,
    int chrfWordOrder,
    int chrfBeta,
    boolean chrfLowercase,
    boolean chrfWhitespace,
    boolean chrfEpsSmoothing,
    int width,
    boolean shortSignature,
    boolean scoreOnly,
    String format)
    implements Serializable {

  public ScoreSettings {
    metrics = List.copyOf(metrics);
    if (metrics.isEmpty()) {
      throw new JobError("-m needs one or more of bleu, chrf");
    }
    for (String m : metrics) {
      if (!m.equals("bleu") && !m.equals("chrf")) {
        throw new JobError("-m: '" + m + "' is not one of bleu, chrf");
      }
    }
    if (BleuTokenizer.forName(tokenize).isEmpty()) {
      throw new JobError("-tok: '" + tokenize + "' is not one of 13a, intl, zh, char, none");
    }
    if (SmoothMethod.forName(smoothMethod).isEmpty()) {
      throw new JobError("-s: '" + smoothMethod + "' is not one of none, floor, add-k, exp");
    }
    if (chrfCharOrder < 0 || chrfWordOrder < 0 || chrfCharOrder + chrfWordOrder == 0) {
      throw new JobError("chrF needs -cc >= 0, -cw >= 0 and at least one of them > 0");
    }
    if (width < 0) {
      throw new JobError("-w must be >= 0, got " + width);
    }
    if (!format.equals("json") && !format.equals("text")) {
      throw new JobError("-f: '" + format + "' is not one of json, text");
    }
  }

  /** {@code jnmt bleu}'s defaults: BLEU only, 13a, exp smoothing, chrF2, one decimal, JSON. */
  public static ScoreSettings defaults() {
    return new ScoreSettings(
        List.of("bleu"), "13a", false, "exp", null, 6, 0, 2, false, false, false, 1, false, false, "json");
  }

  public ScoreSettings withMetrics(String... m) {
    return new ScoreSettings(
        List.of(m), tokenize, lowercase, smoothMethod, smoothValue, chrfCharOrder, chrfWordOrder, chrfBeta,
        chrfLowercase, chrfWhitespace, chrfEpsSmoothing, width, shortSignature, scoreOnly, format);
  }

  public ScoreSettings withFormat(String f) {
    return new ScoreSettings(
        metrics, tokenize, lowercase, smoothMethod, smoothValue, chrfCharOrder, chrfWordOrder, chrfBeta,
        chrfLowercase, chrfWhitespace, chrfEpsSmoothing, width, shortSignature, scoreOnly, f);
  }

  /** Upper-case metric names in sacrebleu's evaluation (sorted) order. */
  public List<String> order() {
    TreeSet<String> s = new TreeSet<>();
    for (String m : metrics) {
      s.add(m.toUpperCase(Locale.ROOT));
    }
    return List.copyOf(s);
  }

  public Bleu bleu() {
    return new Bleu(
        Bleu.Options.DEFAULT
            .withTokenizer(BleuTokenizer.forName(tokenize).orElseThrow())
            .withLowercase(lowercase)
            .withSmoothing(SmoothMethod.forName(smoothMethod).orElseThrow(), smoothValue)
            .withEffectiveOrder(false));
  }

  public Chrf chrf() {
    return new Chrf(
        new Chrf.Options(
            chrfCharOrder, chrfWordOrder, chrfBeta, chrfLowercase, chrfWhitespace, chrfEpsSmoothing));
  }
}
