package dev.jnmt.spark;

import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.base.SettingChecks;
import dev.jnmt.decoder.base.SettingException;
import dev.jnmt.decoder.base.SettingException.Setting;
import dev.jnmt.decoder.Translator;
import dev.jnmt.decoder.model.GemmPrecision;
import dev.jnmt.decoder.shortlist.ShortlistSpec;
import java.io.Serializable;
import java.util.List;

/**
 * What a translation task needs: the model, the arithmetic and the search options that override the
 * model's generation config (null: the model's own), as {@code jnmt translate} takes them.
 *
 * @param precision null for the checkpoint's own (float32, int8shift for int8 files, int16 for int16 files)
 * @param miniBatch sentences decoded together after sorting by length
 * @param shortlist {@code jnmt translate --shortlist}'s values (FILE [FIRST BEST [THRESHOLD]]), or null
 * @param shortlistFile where executors find FILE (shipped with the job or a shared path)
 */
public record TranslateSettings(
    ModelRef model,
    GemmPrecision precision,
    Integer beamSize,
    Integer maxLength,
    int miniBatch,
    List<String> shortlist,
    ModelRef shortlistFile)
    implements Serializable {

  public TranslateSettings(
      ModelRef model, GemmPrecision precision, Integer beamSize, Integer maxLength, int miniBatch) {
    this(model, precision, beamSize, maxLength, miniBatch, null, null);
  }

  public TranslateSettings {
    if (model == null) {
      throw new IllegalArgumentException("the model is required");
    }
    if (shortlist != null) {
      shortlist = List.copyOf(shortlist);
    }
    try {
      // the library's checks, the messages naming jnmt-spark's flags (those of jnmt translate)
      if (shortlist != null) {
        ShortlistSpec.parse(shortlist);
      }
      if (beamSize != null) {
        SettingChecks.beamSize(beamSize);
      }
      if (maxLength != null) {
        SettingChecks.maxLength(maxLength);
      }
      SettingChecks.miniBatch(miniBatch);
    } catch (SettingException e) {
      throw new JobError(e.render(TranslateSettings::flag), e);
    }
  }

  /** jnmt-spark's flag for a library setting (the API name for those it has no flag for). */
  static String flag(Setting s) {
    return switch (s) {
      case BEAM_SIZE -> "--beam-size";
      case MAX_LENGTH -> "--max-length";
      case MINI_BATCH -> "--mini-batch";
      case PRECISION -> "--gemm-precision";
      case SHORTLIST -> "--shortlist";
      default -> s.apiName();
    };
  }

  /** The model's options with these overrides, as the CLI builds them. */
  public TranslationOptions options(Translator t) {
    TranslationOptions o = t.defaultOptions().withMiniBatch(miniBatch);
    if (beamSize != null) {
      o = o.withBeamSize(beamSize);
    }
    if (maxLength != null) {
      o = o.withMaxLength(maxLength);
    }
    if (shortlist != null) {
      o = o.withShortlist(ExecutorTranslators.shortlist(this, t));
    }
    return o;
  }

  /** This JVM's translator for these settings. */
  public Translator translator() {
    return ExecutorTranslators.get(model, precision);
  }

  /** Lines handed to the translator at once: it sorts them by length into mini-batches. */
  public int blockLines() {
    return Math.max(256, miniBatch * 16);
  }
}
