package dev.jnmt.bleu;

/**
 * The sacrebleu release whose behaviour this package reproduces: scores, tokenization, signatures
 * and output formats all follow sacrebleu {@value #VERSION} (mjpost/sacrebleu, {@code
 * metrics/{bleu,chrf,base,helpers}.py}, {@code tokenizers/*.py}, {@code sacrebleu.py}).
 */
public final class SacreBleu {
  /** The version printed in every signature's {@code version:} field. */
  public static final String VERSION = "2.6.0";

  private SacreBleu() {}
}
