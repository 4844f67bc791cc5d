package dev.jnmt.decoder.config;

import dev.jnmt.decoder.base.Json;
import dev.jnmt.decoder.base.CheckpointException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The MarianTokenizer settings of a model directory: {@code tokenizer_config.json} and
 * {@code special_tokens_map.json}, both optional (HF's defaults apply when absent).
 *
 * @param sourceLang source language code, if given
 * @param targetLang target language code, if given
 * @param separateVocabs target ids come from target_vocab.json instead of vocab.json
 * @param modelMaxLength the tokenizer's maximum input length (information only: jnmt does not truncate)
 * @param cleanUpTokenizationSpaces the file's clean_up_tokenization_spaces, if it sets it
 * @param eosToken the end-of-sentence string, {@code </s>}
 * @param unkToken the unknown-piece string, {@code <unk>}
 * @param padToken the padding string, {@code <pad>}
 */
public record TokenizerConfig(
    Optional<String> sourceLang,
    Optional<String> targetLang,
    boolean separateVocabs,
    int modelMaxLength,
    Optional<Boolean> cleanUpTokenizationSpaces,
    String eosToken,
    String unkToken,
    String padToken) {

  public TokenizerConfig {
    if (eosToken.isEmpty() || unkToken.isEmpty() || padToken.isEmpty()) {
      throw new IllegalArgumentException("special token strings must not be empty");
    }
  }

  /** HF's defaults, for a directory without tokenizer files. */
  public static TokenizerConfig defaults() {
    return new TokenizerConfig(
        Optional.empty(), Optional.empty(), false, 512, Optional.empty(), "</s>", "<unk>", "<pad>");
  }

  /**
   * Whether decode applies HF's clean-up replacements by default: the file's setting, else true (the HF
   * 4.x default).
   */
  public boolean cleanUpByDefault() {
    return cleanUpTokenizationSpaces.orElse(true);
  }

  /**
   * Reads the tokenizer files of a model directory.
   *
   * @throws CheckpointException naming the file and key for a bad value
   */
  public static TokenizerConfig read(Path dir) {
    TokenizerConfig d = defaults();
    Path tc = dir.resolve("tokenizer_config.json");
    Path stm = dir.resolve("special_tokens_map.json");
    JsonFiles.Fields f =
        Files.isRegularFile(tc)
            ? new JsonFiles.Fields(tc, JsonFiles.readObject(tc))
            : new JsonFiles.Fields(tc, Json.object());
    JsonFiles.Fields s =
        Files.isRegularFile(stm)
            ? new JsonFiles.Fields(stm, JsonFiles.readObject(stm))
            : new JsonFiles.Fields(stm, Json.object());
    int maxLength = d.modelMaxLength();
    if (f.has("model_max_length")) {
      Json v = f.node().get("model_max_length");
      if (!v.isNumber()) {
        throw f.bad("model_max_length", "a number", v);
      }
      // HF writes a huge sentinel (about 1e30) for "no limit".
      maxLength = v.canConvertToInt() ? v.intValue() : Integer.MAX_VALUE;
    }
    Optional<Boolean> cleanUp =
        f.has("clean_up_tokenization_spaces")
            ? Optional.of(f.bool("clean_up_tokenization_spaces", true))
            : Optional.empty();
    try {
      return new TokenizerConfig(
          Optional.ofNullable(f.string("source_lang", null)),
          Optional.ofNullable(f.string("target_lang", null)),
          f.bool("separate_vocabs", false),
          maxLength,
          cleanUp,
          token(f, s, "eos_token", d.eosToken()),
          token(f, s, "unk_token", d.unkToken()),
          token(f, s, "pad_token", d.padToken()));
    } catch (IllegalArgumentException e) {
      throw f.error(e.getMessage());
    }
  }

  /** A special token: a string, or an AddedToken object {"content": ...}; tokenizer_config wins. */
  private static String token(JsonFiles.Fields primary, JsonFiles.Fields secondary, String key, String def) {
    for (JsonFiles.Fields f : new JsonFiles.Fields[] {primary, secondary}) {
      if (f.has(key)) {
        Json v = f.node().get(key);
        if (v.isTextual()) {
          return v.textValue();
        }
        if (v.isObject() && v.has("content") && v.get("content").isTextual()) {
          return v.get("content").textValue();
        }
        throw f.bad(key, "a string or {\"content\": string}", v);
      }
    }
    return def;
  }
}
