package dev.jnmt.tools;

import dev.jnmt.decoder.base.SettingException;
import dev.jnmt.decoder.base.SettingException.Setting;
import dev.jnmt.decoder.model.PrecisionMismatchException;

/** Turns the library's typed errors into messages that name the CLI's own flags. */
final class CliErrors {
  private CliErrors() {}

  /** The one-line message the CLI prints for {@code ex} (after {@code "jnmt <command>: "}). */
  static String message(Throwable ex) {
    String msg =
        switch (ex) {
          case PrecisionMismatchException p ->
              p.location() + ": the weights are stored as " + p.stored().cliName() + "; run it with --gemm-precision "
                  + PrecisionMismatchException.allowed(p.stored()) + " (not " + p.requested().cliName()
                  + "), or convert the float32 model again";
          case SettingException s -> s.render(CliErrors::flag);
          default -> ex.getMessage() == null ? ex.toString() : ex.getMessage();
        };
    return msg.lines().findFirst().orElse(msg);
  }

  /**
   * The flag of {@code jnmt translate} / {@code convert} / {@code info} that sets a library setting; the
   * API name for the settings that come only from the model's generation_config.json.
   */
  static String flag(Setting s) {
    return switch (s) {
      case BEAM_SIZE -> "--beam-size";
      case N_BEST -> "--n-best";
      case MAX_LENGTH -> "--max-length";
      case LENGTH_PENALTY -> "--normalize";
      case WORD_PENALTY -> "--word-penalty";
      case MINI_BATCH -> "--mini-batch";
      case THREADS -> "--cpu-threads";
      case PRECISION -> "--gemm-precision";
      case SHORTLIST -> "--shortlist";
      case FORMAT -> "--to";
      case FORCE -> "--force";
      case CALIBRATION -> "--calibrate";
      case EARLY_STOPPING, MIN_LENGTH, NO_REPEAT_NGRAM_SIZE, REPETITION_PENALTY, BAD_WORDS -> s.apiName();
    };
  }
}
