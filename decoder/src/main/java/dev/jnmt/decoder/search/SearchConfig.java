package dev.jnmt.decoder.search;

import dev.jnmt.decoder.config.GenerationConfig.EarlyStopping;

/**
 * Everything the search needs besides the decoder.
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

  public SearchConfig {
    if (beamSize < 1) {
      throw new IllegalArgumentException("beam size must be at least 1, got " + beamSize);
    }
    if (nBest < 1 || nBest > beamSize) {
      throw new IllegalArgumentException(
          "n-best " + nBest + " must be between 1 and the beam size " + beamSize);
    }
    if (maxLength < 2) {
      throw new IllegalArgumentException(
          "max length " + maxLength + " must be at least 2 (the start token and one more)");
    }
    if (!Float.isFinite(lengthPenalty) || !Float.isFinite(wordPenalty)) {
      throw new IllegalArgumentException("length and word penalties must be finite");
    }
    if (earlyStopping == null) {
      throw new IllegalArgumentException("early stopping mode is missing");
    }
    if (minLength < 0 || noRepeatNgramSize < 0 || !(repetitionPenalty > 0f)) {
      throw new IllegalArgumentException(
          "min length and n-gram size must not be negative and the repetition penalty must be positive");
    }
    int[][] copy = new int[badWords == null ? 0 : badWords.length][];
    for (int i = 0; i < copy.length; i++) {
      if (badWords[i] == null || badWords[i].length == 0) {
        throw new IllegalArgumentException("bad words sequence " + i + " is empty");
      }
      copy[i] = badWords[i].clone();
    }
    badWords = copy;
  }

  /** HF's defaults for MarianMT: beam, n-best 1, pad banned, forced EOS, no renormalisation. */
  public static SearchConfig hf(int beamSize, int maxLength, int eosId, int padId, int startId) {
    return new SearchConfig(
        beamSize, 1, maxLength, 1f, 0f, EarlyStopping.FALSE, false, eosId, new int[][] {{padId}},
        eosId, startId, 0, 0, 1f);
  }

  /** The score of a hypothesis of {@code length} generated tokens and raw log-probability {@code logProb}. */
  public float normalise(float logProb, int length) {
    float penalised = wordPenalty == 0f ? logProb : logProb - wordPenalty * length;
    return penalised / (float) Math.pow(length, lengthPenalty);
  }
}
