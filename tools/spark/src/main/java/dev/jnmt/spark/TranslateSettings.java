package dev.jnmt.spark;

import dev.jnmt.decoder.TranslationOptions;
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
      try {
        ShortlistSpec.parse(shortlist);
      } catch (IllegalArgumentException e) {
        throw new JobError(e.getMessage());
      }
    }
    if (beamSize != null && beamSize < 1) {
      throw new JobError("--beam-size must be at least 1, got " + beamSize);
    }
    if (maxLength != null && maxLength < 2) {
      throw new JobError(
          "--max-length must be at least 2 (it counts the decoder start token), got " + maxLength);
    }
    if (miniBatch < 1) {
      throw new JobError("--mini-batch must be at least 1, got " + miniBatch);
    }
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
