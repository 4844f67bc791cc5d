package dev.jnmt.spark;

import dev.jnmt.decoder.TranslationOptions;
import dev.jnmt.decoder.Translator;
import dev.jnmt.decoder.model.GemmPrecision;
import java.io.Serializable;

/**
 * What a translation task needs: the model, the arithmetic and the search options that override the
 * model's generation config (null: the model's own), as {@code jnmt translate} takes them.
 *
 * @param miniBatch sentences decoded together after sorting by length
 */
public record TranslateSettings(
    ModelRef model, GemmPrecision precision, Integer beamSize, Integer maxLength, int miniBatch)
    implements Serializable {

  public TranslateSettings {
    if (model == null || precision == null) {
      throw new IllegalArgumentException("model and precision are required");
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
