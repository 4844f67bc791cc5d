package dev.jnmt.bleu;

/**
 * A metric result, formatted as sacrebleu's {@code Score.format} does.
 *
 * <p>Text: {@code NAME|SIGNATURE = SCORE VERBOSE}. JSON ({@code json.dumps(d, indent=1,
 * ensure_ascii=False)}): {@code name}, {@code score} (the rounded score re-read as a float), {@code
 * signature}, {@code verbose_score} when there is one, then every signature field as a string.
 */
public sealed interface Score permits BleuScore, ChrfScore, TerScore {

  /** {@code BLEU}, {@code chrF2}, {@code chrF2++}, ... */
  String name();

  /** The score in [0, 100]. */
  double score();

  /** The part printed after the score ({@code ""} for chrF). */
  String verbose();

  /**
   * One score in sacrebleu's text or JSON form.
   *
   * @param width decimals (sacrebleu's CLI default is 1, its {@code Score.format()} default 2)
   * @param scoreOnly only the formatted number (this wins over {@code json}, as in sacrebleu)
   * @param signature the formatted signature, or {@code ""} for none
   * @param json JSON instead of the text line
   */
  default String format(int width, boolean scoreOnly, String signature, boolean json) {
    return format(width, scoreOnly, signature, json, null);
  }

  /**
   * As {@link #format(int, boolean, String, boolean)}, with a bootstrap estimate printed as
   * sacrebleu does: {@code SCORE (μ = MEAN ± CI)} in text, {@code confidence_mean}, {@code
   * confidence_var} and {@code confidence} in JSON; like sacrebleu, nothing is printed when the
   * mean is not positive.
   *
   * @param confidence the bootstrap estimate, or null
   */
  default String format(
      int width, boolean scoreOnly, String signature, boolean json, Confidence confidence) {
    String sc = Py.fixed(score(), width);
    String confidenceStr = null;
    String cMean = null;
    String cVar = null;
    if (confidence != null && confidence.mean() > 0) {
      cMean = Py.fixed(confidence.mean(), width);
      cVar = Py.fixed(confidence.ci(), width);
      confidenceStr = "\u03bc = " + cMean + " \u00b1 " + cVar;
      sc += " (" + confidenceStr + ")";
    }
    if (scoreOnly) {
      return sc;
    }
    if (json) {
      StringBuilder sb = new StringBuilder("{\n");
      sb.append(" \"name\": ").append(Py.jsonString(name(), false)).append(",\n");
      sb.append(" \"score\": ")
          .append(Py.floatRepr(Double.parseDouble(Py.fixed(score(), width))))
          .append(",\n");
      sb.append(" \"signature\": ").append(Py.jsonString(signature, false));
      if (confidenceStr != null) {
        sb.append(",\n \"confidence_mean\": ").append(Py.floatRepr(Double.parseDouble(cMean)));
        sb.append(",\n \"confidence_var\": ").append(Py.floatRepr(Double.parseDouble(cVar)));
        sb.append(",\n \"confidence\": ").append(Py.jsonString(confidenceStr, false));
      }
      if (!verbose().isEmpty()) {
        sb.append(",\n \"verbose_score\": ").append(Py.jsonString(verbose(), false));
      }
      if (!signature.isEmpty()) {
        for (String param : signature.split("\\|", -1)) {
          int colon = param.indexOf(':');
          sb.append(",\n ")
              .append(Py.jsonString(param.substring(0, colon), false))
              .append(": ")
              .append(Py.jsonString(param.substring(colon + 1), false));
        }
      }
      return sb.append("\n}").toString();
    }
    String line = (signature.isEmpty() ? name() : name() + "|" + signature) + " = " + sc;
    return verbose().isEmpty() ? line : line + " " + verbose();
  }
}
