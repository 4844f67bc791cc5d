package dev.jnmt.decoder.search;

import dev.jnmt.decoder.base.SettingChecks;
import dev.jnmt.decoder.base.SettingException;
import dev.jnmt.decoder.base.SettingException.Setting;
import dev.jnmt.decoder.config.GenerationConfig.EarlyStopping;

/**
 * Everything the search needs besides the decoder. Build one with {@link #builder}, which starts from
 * Hugging Face {@code generate()}'s defaults.
 *
 * @param beamSize K; 1 means greedy decoding (as Hugging Face does for num_beams=1)
 * @param nBest hypotheses returned per sentence, 1..beamSize
 * @param maxLength the longest decoder sequence <em>including the start token</em> (HF max_length); at
 *     most maxLength − 1 tokens are generated, and at length maxLength − 1 only {@code forcedEosId} is
 *     allowed (when set)
 * @param lengthPenalty α: a finished hypothesis of L generated tokens (EOS included) scores {@code
 *     (logProb − wordPenalty·L) / L^α}; HF's length_penalty, Marian's --normalize
 * @param wordPenalty Marian's --word-penalty (0 for HF behaviour)
 * @param earlyStopping HF's early_stopping
 * @param renormalizeLogits apply log-softmax again after the logits processors (HF renormalize_logits)
 * @param eosId the end-of-sentence id
 * @param badWords HF bad_words_ids: a one-id sequence is never generated (normally pad); a longer one
 *     bans its last id after the others
 * @param forcedEosId the id forced at length maxLength − 1 (HF forced_eos_token_id), or −1 for none
 * @param decoderStartId the first decoder input
 * @param minLength HF min_length: EOS is banned while the sequence (start token included) is shorter
 * @param noRepeatNgramSize HF no_repeat_ngram_size (0 = off)
 * @param repetitionPenalty HF repetition_penalty (1 = off)
 */
public record SearchConfig(
    int beamSize,
    int nBest,
    int maxLength,
    float lengthPenalty,
    float wordPenalty,
    EarlyStopping earlyStopping,
    boolean renormalizeLogits,
    int eosId,
    int[][] badWords,
    int forcedEosId,
    int decoderStartId,
    int minLength,
    int noRepeatNgramSize,
    float repetitionPenalty) {

  /**
   * Checks every setting ({@link SettingChecks}: the same checks as {@code TranslationOptions}).
   *
   * @throws SettingException naming the invalid setting
   */
  public SearchConfig {
    SettingChecks.beamSize(beamSize);
    SettingChecks.nBest(nBest, beamSize);
    SettingChecks.maxLength(maxLength);
    SettingChecks.penalty(Setting.LENGTH_PENALTY, lengthPenalty);
    SettingChecks.penalty(Setting.WORD_PENALTY, wordPenalty);
    SettingChecks.present(Setting.EARLY_STOPPING, earlyStopping);
    SettingChecks.atLeast(Setting.MIN_LENGTH, minLength, 0);
    SettingChecks.atLeast(Setting.NO_REPEAT_NGRAM_SIZE, noRepeatNgramSize, 0);
    if (!(repetitionPenalty > 0f) || !Float.isFinite(repetitionPenalty)) {
      throw SettingException.of(Setting.REPETITION_PENALTY, "must be a positive number, got " + repetitionPenalty);
    }
    int[][] copy = new int[badWords == null ? 0 : badWords.length][];
    for (int i = 0; i < copy.length; i++) {
      if (badWords[i] == null || badWords[i].length == 0) {
        throw new SettingException(Setting.BAD_WORDS, "sequence " + i + " of " + SettingException.NAME + " is empty");
      }
      copy[i] = badWords[i].clone();
    }
    badWords = copy;
  }

  /**
   * A builder with the model's two fixed ids and HF {@code generate()}'s defaults for everything else:
   * greedy (beam 1), n-best 1, max_length 20, length_penalty 1, no word penalty, early_stopping false,
   * no renormalisation, no bad words, no forced EOS, min_length 0, no n-gram blocking, repetition
   * penalty 1.
   */
  public static Builder builder(int eosId, int decoderStartId) {
    return new Builder(eosId, decoderStartId);
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder(eosId, decoderStartId)
        .beamSize(beamSize)
        .nBest(nBest)
        .maxLength(maxLength)
        .lengthPenalty(lengthPenalty)
        .wordPenalty(wordPenalty)
        .earlyStopping(earlyStopping)
        .renormalizeLogits(renormalizeLogits)
        .badWords(badWords)
        .forcedEosId(forcedEosId)
        .minLength(minLength)
        .noRepeatNgramSize(noRepeatNgramSize)
        .repetitionPenalty(repetitionPenalty);
  }

  /** Builds a {@link SearchConfig}; the setters are named after the components they set. */
  public static final class Builder {
    private final int eosId;
    private final int decoderStartId;
    private int beamSize = 1;
    private int nBest = 1;
    private int maxLength = 20;
    private float lengthPenalty = 1f;
    private float wordPenalty;
    private EarlyStopping earlyStopping = EarlyStopping.FALSE;
    private boolean renormalizeLogits;
    private int[][] badWords = new int[0][];
    private int forcedEosId = -1;
    private int minLength;
    private int noRepeatNgramSize;
    private float repetitionPenalty = 1f;

    private Builder(int eosId, int decoderStartId) {
      this.eosId = eosId;
      this.decoderStartId = decoderStartId;
    }

    public Builder beamSize(int beamSize) {
      this.beamSize = beamSize;
      return this;
    }

    public Builder nBest(int nBest) {
      this.nBest = nBest;
      return this;
    }

    public Builder maxLength(int maxLength) {
      this.maxLength = maxLength;
      return this;
    }

    public Builder lengthPenalty(float lengthPenalty) {
      this.lengthPenalty = lengthPenalty;
      return this;
    }

    public Builder wordPenalty(float wordPenalty) {
      this.wordPenalty = wordPenalty;
      return this;
    }

    public Builder earlyStopping(EarlyStopping earlyStopping) {
      this.earlyStopping = earlyStopping;
      return this;
    }

    public Builder renormalizeLogits(boolean renormalizeLogits) {
      this.renormalizeLogits = renormalizeLogits;
      return this;
    }

    /** The banned sequences (copied when built). */
    public Builder badWords(int[][] badWords) {
      this.badWords = badWords;
      return this;
    }

    /** The id forced at length maxLength − 1, or −1 for none. */
    public Builder forcedEosId(int forcedEosId) {
      this.forcedEosId = forcedEosId;
      return this;
    }

    public Builder minLength(int minLength) {
      this.minLength = minLength;
      return this;
    }

    public Builder noRepeatNgramSize(int noRepeatNgramSize) {
      this.noRepeatNgramSize = noRepeatNgramSize;
      return this;
    }

    public Builder repetitionPenalty(float repetitionPenalty) {
      this.repetitionPenalty = repetitionPenalty;
      return this;
    }

    /**
     * The config.
     *
     * @throws IllegalArgumentException for an invalid value
     */
    public SearchConfig build() {
      return new SearchConfig(
          beamSize, nBest, maxLength, lengthPenalty, wordPenalty, earlyStopping, renormalizeLogits, eosId,
          badWords, forcedEosId, decoderStartId, minLength, noRepeatNgramSize, repetitionPenalty);
    }
  }

  /** The score of a hypothesis of {@code length} generated tokens and raw log-probability {@code logProb}. */
  public float normalise(float logProb, int length) {
    float penalised = wordPenalty == 0f ? logProb : logProb - wordPenalty * length;
    return penalised / (float) Math.pow(length, lengthPenalty);
  }
}
