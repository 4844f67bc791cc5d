package dev.jnmt.decoder.config;

import dev.jnmt.decoder.base.Json;
import dev.jnmt.decoder.base.CheckpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Hugging Face generation settings of a MarianMT model.
 *
 * <p>Read from {@code generation_config.json} when the directory has one; otherwise from the generation
 * keys of {@code config.json} (what HF's {@code GenerationConfig.from_model_config} does). Keys absent
 * from the file take HF's GenerationConfig defaults (num_beams 1, max_length 20, length_penalty 1.0,
 * early_stopping false, renormalize_logits false); the special token ids fall back to the model config.
 *
 * @param numBeams beam size (1 = greedy)
 * @param maxLength total decoder length, the start token included (max_new_tokens + 1 when the file
 *     sets max_new_tokens, which HF lets override max_length)
 * @param lengthPenalty exponent α of the length normaliser score / len^α
 * @param earlyStopping HF's stop rule for beam search
 * @param badWordsIds token sequences never to generate (opus-mt: [[pad]])
 * @param forcedEosTokenId the token forced at length max_length-1, if any
 * @param renormalizeLogits apply log_softmax again after the logits processors
 * @param decoderStartTokenId first decoder input
 * @param eosTokenId end of sentence
 * @param padTokenId padding (batch filler; pad logit banned through badWordsIds)
 * @param minLength minimum total length (EOS banned before it); 0 = none
 * @param noRepeatNgramSize ban repeated n-grams of this size; 0 = off
 * @param repetitionPenalty CTRL repetition penalty; 1.0 = off
 */
public record GenerationConfig(
    int numBeams,
    int maxLength,
    double lengthPenalty,
    EarlyStopping earlyStopping,
    List<List<Integer>> badWordsIds,
    OptionalInt forcedEosTokenId,
    boolean renormalizeLogits,
    int decoderStartTokenId,
    int eosTokenId,
    int padTokenId,
    int minLength,
    int noRepeatNgramSize,
    double repetitionPenalty) {

  /** HF's {@code early_stopping}: false (heuristic stop), true, or "never" (canonical beam search). */
  public enum EarlyStopping {
    FALSE,
    TRUE,
    NEVER
  }

  /** Largest accepted beam (memory grows with beam × batch × vocabulary). */
  public static final int MAX_BEAMS = dev.jnmt.decoder.base.SettingChecks.MAX_BEAM;

  public GenerationConfig {
    if (numBeams < 1) {
      throw new IllegalArgumentException("num_beams must be at least 1, got " + numBeams);
    }
    if (numBeams > MAX_BEAMS) {
      throw new IllegalArgumentException("num_beams " + numBeams + " is above the limit " + MAX_BEAMS);
    }
    if (maxLength < 1) {
      throw new IllegalArgumentException("max_length must be at least 1, got " + maxLength);
    }
    if (minLength < 0 || noRepeatNgramSize < 0) {
      throw new IllegalArgumentException("min_length and no_repeat_ngram_size must not be negative");
    }
    if (!(repetitionPenalty > 0)) {
      throw new IllegalArgumentException("repetition_penalty must be positive, got " + repetitionPenalty);
    }
    if (!Double.isFinite(lengthPenalty)) {
      throw new IllegalArgumentException("length_penalty must be finite, got " + lengthPenalty);
    }
    if (earlyStopping == null || forcedEosTokenId == null) {
      throw new IllegalArgumentException("earlyStopping and forcedEosTokenId must not be null");
    }
    nonNegative("decoder_start_token_id", decoderStartTokenId);
    nonNegative("eos_token_id", eosTokenId);
    nonNegative("pad_token_id", padTokenId);
    List<List<Integer>> copy = new ArrayList<>();
    for (List<Integer> seq : badWordsIds) {
      if (seq.isEmpty()) {
        throw new IllegalArgumentException("bad_words_ids has an empty sequence");
      }
      for (Integer id : seq) {
        if (id == null || id < 0) {
          throw new IllegalArgumentException("bad_words_ids has an invalid id " + id);
        }
      }
      copy.add(List.copyOf(seq));
    }
    badWordsIds = List.copyOf(copy);
  }

  private static void nonNegative(String key, int id) {
    if (id < 0) {
      throw new IllegalArgumentException(key + " must not be negative, got " + id);
    }
  }

  /**
   * Reads {@code dir/generation_config.json}, or the generation keys of {@code dir/config.json} when
   * there is none.
   *
   * @throws CheckpointException naming the file and key for a bad value
   */
  public static GenerationConfig read(Path dir, MarianConfig model) {
    Path gen = dir.resolve("generation_config.json");
    if (Files.isRegularFile(gen)) {
      return fromJson(JsonFiles.readObject(gen), gen, model, false);
    }
    Path cfg = dir.resolve("config.json");
    return fromJson(JsonFiles.readObject(cfg), cfg, model, true);
  }

  /**
   * Builds generation settings from a parsed generation_config.json ({@code fromModelConfig} false) or
   * config.json ({@code fromModelConfig} true: MarianConfig's class default forced_eos_token_id 0 applies).
   */
  public static GenerationConfig fromJson(Json root, Path source, MarianConfig model, boolean fromModelConfig) {
    JsonFiles.Fields f = new JsonFiles.Fields(source, root);
    OptionalInt forcedEos;
    if (f.has("forced_eos_token_id")) {
      forcedEos = OptionalInt.of(singleId(f, "forced_eos_token_id"));
    } else {
      forcedEos = fromModelConfig ? OptionalInt.of(0) : OptionalInt.empty();
    }
    EarlyStopping early = EarlyStopping.FALSE;
    if (f.has("early_stopping")) {
      Json v = root.get("early_stopping");
      if (v.isBoolean()) {
        early = v.booleanValue() ? EarlyStopping.TRUE : EarlyStopping.FALSE;
      } else if (v.isTextual() && v.textValue().equals("never")) {
        early = EarlyStopping.NEVER;
      } else {
        throw f.bad("early_stopping", "true, false or \"never\"", v);
      }
    }
    List<List<Integer>> bad = new ArrayList<>();
    if (f.has("bad_words_ids")) {
      Json v = root.get("bad_words_ids");
      if (!v.isArray()) {
        throw f.bad("bad_words_ids", "a list of lists of token ids", v);
      }
      for (Json seq : v) {
        if (!seq.isArray() || seq.isEmpty()) {
          throw f.bad("bad_words_ids", "a list of non-empty lists of token ids", v);
        }
        List<Integer> ids = new ArrayList<>();
        for (Json id : seq) {
          if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
            throw f.bad("bad_words_ids", "a list of lists of token ids", v);
          }
          ids.add(id.intValue());
        }
        bad.add(ids);
      }
    }
    try {
      return new GenerationConfig(
          f.integer("num_beams", 1),
          maxLength(f),
          f.number("length_penalty", 1.0),
          early,
          bad,
          forcedEos,
          f.bool("renormalize_logits", false),
          f.has("decoder_start_token_id") ? singleId(f, "decoder_start_token_id") : model.decoderStartTokenId(),
          f.has("eos_token_id") ? singleId(f, "eos_token_id") : model.eosTokenId(),
          f.has("pad_token_id") ? singleId(f, "pad_token_id") : model.padTokenId(),
          f.integer("min_length", 0),
          f.integer("no_repeat_ngram_size", 0),
          f.number("repetition_penalty", 1.0));
    } catch (IllegalArgumentException e) {
      throw f.error(e.getMessage());
    }
  }

  /**
   * max_length, or max_new_tokens + 1 when that is set: HF then counts the decoder prompt, which for an
   * encoder-decoder model is the start token alone.
   */
  private static int maxLength(JsonFiles.Fields f) {
    if (f.has("max_new_tokens")) {
      int n = f.integer("max_new_tokens", 0);
      if (n < 1) {
        throw f.error("max_new_tokens must be at least 1, got " + n);
      }
      return n + 1;
    }
    return f.integer("max_length", 20);
  }

  /** An id that newer HF files may also write as a one-element list. */
  private static int singleId(JsonFiles.Fields f, String key) {
    Json v = f.node().get(key);
    if (v.isArray()) {
      if (v.size() != 1) {
        throw f.bad(key, "a single token id (several are not supported)", v);
      }
      v = v.get(0);
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
      throw f.bad(key, "a token id", v);
    }
    return v.intValue();
  }
}
