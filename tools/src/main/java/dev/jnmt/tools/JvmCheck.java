package dev.jnmt.tools;

import dev.jnmt.decoder.model.GemmPrecision;
import java.util.Optional;

/**
 * Checks the running JVM for the flags intgemm4j's 8-bit kernels need ({@link dev.jnmt.intgemm.JvmCheck}). The
 * {@code ./jnmt} launcher passes them; someone who starts {@code jnmt.jar} with a plain {@code java -jar} gets a
 * one-line warning, in the CLI's words, instead of a translation that is, in some runs, several times slower
 * for no visible reason.
 */
final class JvmCheck {
  private JvmCheck() {}

  /** The value the 8-bit kernels need (see BENCHMARKS.md, "JIT robustness"). */
  static final String TYPE_PROFILE_LEVEL = dev.jnmt.intgemm.JvmCheck.TYPE_PROFILE_LEVEL;

  /** The running JVM's -XX:TypeProfileLevel, or empty when it cannot be read (not HotSpot). */
  static Optional<String> typeProfileLevel() {
    return dev.jnmt.intgemm.JvmCheck.typeProfileLevel();
  }

  /**
   * The warning to print for this precision and TypeProfileLevel, if any. The CLI prints it before loading;
   * {@link dev.jnmt.intgemm.JvmCheck#claimTypeProfileWarning()} keeps intgemm4j from repeating it.
   */
  static Optional<String> warning(GemmPrecision precision, Optional<String> level) {
    if (!precision.is8Bit() || dev.jnmt.intgemm.JvmCheck.typeProfileLevelOk(level)) {
      return Optional.empty();
    }
    return Optional.of(
        "warning: this JVM runs with -XX:TypeProfileLevel="
            + level.get()
            + "; the 8-bit kernels need -XX:TypeProfileLevel="
            + TYPE_PROFILE_LEVEL
            + " to compile reliably (the ./jnmt launcher passes it), otherwise some runs are several times slower");
  }
}
