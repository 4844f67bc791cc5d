package dev.jnmt.decoder;

import dev.jnmt.decoder.base.SettingException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;


import dev.jnmt.decoder.base.SettingException.Setting;
import dev.jnmt.decoder.config.GenerationConfig.EarlyStopping;
import dev.jnmt.decoder.search.SearchConfig;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * TranslationOptions and SearchConfig run the same checks, and a failure names the setting by its API
 * name, with the template a front end renders with its own flag names.
 */
class SettingChecksTest {

  private static final TranslationOptions OK = new TranslationOptions(4, 1, 20, 1, 0, EarlyStopping.FALSE, false, 32);

  private static void fails(Setting setting, String message, Executable e) {
    SettingException x = assertThrows(SettingException.class, e);
    assertEquals(setting, x.setting());
    assertEquals(message, x.getMessage());
    Function<Setting, String> flag = s -> "--" + s.name().toLowerCase(java.util.Locale.ROOT);
    assertEquals(message.replace(setting.apiName(), flag.apply(setting)), x.render(flag));
  }

  @Test
  void translationOptionsAndSearchConfigShareTheChecks() {
    SearchConfig.Builder search = SearchConfig.builder(0, 1);
    fails(Setting.BEAM_SIZE, "beamSize must be at least 1, got 0", () -> OK.withBeamSize(0));
    fails(Setting.BEAM_SIZE, "beamSize must be at least 1, got 0", () -> search.beamSize(0).build());
    fails(Setting.BEAM_SIZE, "beamSize 1025 is above the limit 1024", () -> OK.withBeamSize(1025));
    fails(Setting.BEAM_SIZE, "beamSize 1025 is above the limit 1024", () -> search.beamSize(1025).build());
    fails(Setting.N_BEST, "nBest 5 exceeds the beam size 4", () -> OK.withNBest(5));
    fails(Setting.N_BEST, "nBest 5 exceeds the beam size 4", () -> search.beamSize(4).nBest(5).build());
    search.nBest(1);
    fails(Setting.MAX_LENGTH, "maxLength must be at least 2 (it counts the decoder start token), got 1", () -> OK.withMaxLength(1));
    fails(Setting.MAX_LENGTH, "maxLength must be at least 2 (it counts the decoder start token), got 1", () -> search.maxLength(1).build());
    search.maxLength(20);
    fails(Setting.LENGTH_PENALTY, "lengthPenalty must be a finite number, got NaN", () -> OK.withLengthPenalty(Double.NaN));
    fails(Setting.LENGTH_PENALTY, "lengthPenalty must be a finite number, got NaN", () -> search.lengthPenalty(Float.NaN).build());
    search.lengthPenalty(1f);
    fails(Setting.WORD_PENALTY, "wordPenalty must be a finite number, got Infinity", () -> OK.withWordPenalty(Double.POSITIVE_INFINITY));
    fails(Setting.EARLY_STOPPING, "earlyStopping is missing", () -> OK.withEarlyStopping(null));
    fails(Setting.MINI_BATCH, "miniBatch must be at least 1, got 0", () -> OK.withMiniBatch(0));
    fails(Setting.MINI_BATCH, "miniBatch 65537 is above the limit 65536", () -> OK.withMiniBatch(65537));
    fails(Setting.MIN_LENGTH, "minLength must be at least 0, got -1", () -> search.minLength(-1).build());
    search.minLength(0);
    fails(Setting.REPETITION_PENALTY, "repetitionPenalty must be a positive number, got 0.0", () -> search.repetitionPenalty(0f).build());
    search.repetitionPenalty(1f);
    fails(Setting.BAD_WORDS, "sequence 0 of badWords is empty", () -> search.badWords(new int[][] {{}}).build());
    fails(Setting.THREADS, "threads must be at least 1, got 0", () -> dev.jnmt.decoder.Translator.Settings.threads(0));
  }

  @Test
  void aTemplateMustNameItsSetting() {
    assertThrows(IllegalArgumentException.class, () -> new SettingException(Setting.FORCE, "no name here"));
  }
}
