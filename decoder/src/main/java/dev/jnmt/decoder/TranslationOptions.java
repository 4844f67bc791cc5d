package dev.jnmt.decoder;

import dev.jnmt.decoder.base.SettingChecks;
import dev.jnmt.decoder.base.SettingException;
import dev.jnmt.decoder.base.SettingException.Setting;
import dev.jnmt.decoder.config.GenerationConfig;
import dev.jnmt.decoder.config.GenerationConfig.EarlyStopping;
import dev.jnmt.decoder.shortlist.Shortlist;

/**
 * Search settings of one {@link Translator#translate} call. {@link Translator#defaultOptions()} gives the
 * model's own settings (its generation_config.json, as Hugging Face would use them); change fields with
 * the {@code with…} methods.
 *
 * @param beamSize beams per sentence; 1 = greedy (HF num_beams)
 * @param nBest hypotheses returned per sentence, 1..beamSize
 * @param maxLength the longest output <em>including the decoder start token</em> (HF max_length), so at
 *     most maxLength − 1 tokens, the final {@code </s>} included; capped at max_position_embeddings + 1
 * @param lengthPenalty α of the hypothesis score {@code (logProb − wordPenalty·L) / L^α}, L the number
 *     of generated tokens ({@code </s>} included): HF's length_penalty (default 1) and Marian's
 *     {@code --normalize}
 * @param wordPenalty Marian's {@code --word-penalty}; 0 reproduces Hugging Face
 * @param earlyStopping HF's early_stopping rule for beam search
 * @param renormalizeLogits HF renormalize_logits: log-softmax again after banning pad / forcing EOS
 * @param miniBatch sentences decoded together (sorted by length first); results keep the input order
 * @param shortlist Marian's lexical shortlist ({@code --shortlist}): each sentence's log-probabilities are
 *     normalised over, and its output restricted to, the target ids the shortlist allows for its source
 *     plus the ids the search forces or bans (see {@link dev.jnmt.decoder.shortlist.BatchColumns}); the
 *     output layer is computed on the mini-batch's union of those columns only. Null: the full vocabulary.
 *     Load one with {@link Translator#loadShortlist}.
 */
public record TranslationOptions(
    int beamSize,
    int nBest,
    int maxLength,
    double lengthPenalty,
    double wordPenalty,
    EarlyStopping earlyStopping,
    boolean renormalizeLogits,
    int miniBatch,
    Shortlist shortlist) {

  /** The default mini-batch: enough rows for the GEMMs to run efficiently, small enough to stream. */
  public static final int DEFAULT_MINI_BATCH = 32;

  /**
   * Checks every setting ({@link SettingChecks}).
   *
   * @throws SettingException naming the invalid setting
   */
  public TranslationOptions {
    SettingChecks.beamSize(beamSize);
    SettingChecks.nBest(nBest, beamSize);
    SettingChecks.maxLength(maxLength);
    SettingChecks.penalty(Setting.LENGTH_PENALTY, lengthPenalty);
    SettingChecks.penalty(Setting.WORD_PENALTY, wordPenalty);
    SettingChecks.present(Setting.EARLY_STOPPING, earlyStopping);
    SettingChecks.miniBatch(miniBatch);
  }

  /** Without a shortlist. */
  public TranslationOptions(
      int beamSize, int nBest, int maxLength, double lengthPenalty, double wordPenalty,
      EarlyStopping earlyStopping, boolean renormalizeLogits, int miniBatch) {
    this(beamSize, nBest, maxLength, lengthPenalty, wordPenalty, earlyStopping, renormalizeLogits, miniBatch, null);
  }

  /** The model's generation settings, n-best 1, no word penalty, the default mini-batch. */
  public static TranslationOptions of(GenerationConfig g) {
    return new TranslationOptions(
        g.numBeams(),
        1,
        Math.max(2, g.maxLength()),
        g.lengthPenalty(),
        0,
        g.earlyStopping(),
        g.renormalizeLogits(),
        DEFAULT_MINI_BATCH);
  }

  public TranslationOptions withBeamSize(int beamSize) {
    return new TranslationOptions(
        beamSize, Math.min(nBest, beamSize), maxLength, lengthPenalty, wordPenalty, earlyStopping,
        renormalizeLogits, miniBatch, shortlist);
  }

  public TranslationOptions withNBest(int nBest) {
    return new TranslationOptions(
        beamSize, nBest, maxLength, lengthPenalty, wordPenalty, earlyStopping, renormalizeLogits,
        miniBatch, shortlist);
  }

  public TranslationOptions withMaxLength(int maxLength) {
    return new TranslationOptions(
        beamSize, nBest, maxLength, lengthPenalty, wordPenalty, earlyStopping, renormalizeLogits,
        miniBatch, shortlist);
  }

  public TranslationOptions withLengthPenalty(double lengthPenalty) {
    return new TranslationOptions(
        beamSize, nBest, maxLength, lengthPenalty, wordPenalty, earlyStopping, renormalizeLogits,
        miniBatch, shortlist);
  }

  public TranslationOptions withWordPenalty(double wordPenalty) {
    return new TranslationOptions(
        beamSize, nBest, maxLength, lengthPenalty, wordPenalty, earlyStopping, renormalizeLogits,
        miniBatch, shortlist);
  }

  public TranslationOptions withEarlyStopping(EarlyStopping earlyStopping) {
    return new TranslationOptions(
        beamSize, nBest, maxLength, lengthPenalty, wordPenalty, earlyStopping, renormalizeLogits,
        miniBatch, shortlist);
  }

  public TranslationOptions withRenormalizeLogits(boolean renormalizeLogits) {
    return new TranslationOptions(
        beamSize, nBest, maxLength, lengthPenalty, wordPenalty, earlyStopping, renormalizeLogits,
        miniBatch, shortlist);
  }

  public TranslationOptions withMiniBatch(int miniBatch) {
    return new TranslationOptions(
        beamSize, nBest, maxLength, lengthPenalty, wordPenalty, earlyStopping, renormalizeLogits,
        miniBatch, shortlist);
  }

  /** With a lexical shortlist (null: the full vocabulary). */
  public TranslationOptions withShortlist(Shortlist shortlist) {
    return new TranslationOptions(
        beamSize, nBest, maxLength, lengthPenalty, wordPenalty, earlyStopping, renormalizeLogits,
        miniBatch, shortlist);
  }
}
