package dev.jnmt.decoder.base;

import java.util.function.Function;

/**
 * A setting given to the library is invalid: which one ({@link #setting()}) and why. The message names
 * the setting by its API name ({@code beamSize must be at least 1, got 0}); a front end renders it with
 * its own names for the settings through {@link #render} ({@code jnmt translate} says {@code --beam-size
 * must be at least 1, got 0}), so library messages never name command-line flags.
 */
public final class SettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Where the setting's name goes in a {@linkplain #SettingException(Setting, String) template}. */
  public static final String NAME = "{}";

  /** The settings the library checks, with the names its own API gives them. */
  public enum Setting {
    BEAM_SIZE("beamSize"),
    N_BEST("nBest"),
    MAX_LENGTH("maxLength"),
    LENGTH_PENALTY("lengthPenalty"),
    WORD_PENALTY("wordPenalty"),
    EARLY_STOPPING("earlyStopping"),
    MIN_LENGTH("minLength"),
    NO_REPEAT_NGRAM_SIZE("noRepeatNgramSize"),
    REPETITION_PENALTY("repetitionPenalty"),
    BAD_WORDS("badWords"),
    MINI_BATCH("miniBatch"),
    THREADS("threads"),
    PRECISION("precision"),
    SHORTLIST("shortlist"),
    /** The format a checkpoint is converted to. */
    FORMAT("format"),
    /** Whether a conversion may replace a non-empty output directory. */
    FORCE("force"),
    /** The text a conversion calibrates activation scales on. */
    CALIBRATION("calibration");

    private final String apiName;

    Setting(String apiName) {
      this.apiName = apiName;
    }

    /** The name of the setting in the library's API (a record component or request field). */
    public String apiName() {
      return apiName;
    }
  }

  private final Setting setting;
  private final String template;

  /**
   * @param setting the invalid setting
   * @param template the one-line message, with {@link #NAME} where the setting's name goes
   */
  public SettingException(Setting setting, String template) {
    super(template.replace(NAME, setting.apiName()));
    if (!template.contains(NAME)) {
      throw new IllegalArgumentException("the template does not name the setting: " + template);
    }
    this.setting = setting;
    this.template = template;
  }

  /** "{name} reason": the usual form, {@code beamSize must be at least 1, got 0}. */
  public static SettingException of(Setting setting, String reason) {
    return new SettingException(setting, NAME + " " + reason);
  }

  /** The invalid setting. */
  public Setting setting() {
    return setting;
  }

  /** The message with the setting named by {@code name} (for example a command-line flag). */
  public String render(Function<Setting, String> name) {
    return template.replace(NAME, name.apply(setting));
  }
}
