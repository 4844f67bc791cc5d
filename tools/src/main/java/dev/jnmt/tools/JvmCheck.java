package dev.jnmt.tools;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.jnmt.decoder.model.GemmPrecision;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Checks the running JVM for the flags intgemm4j's 8-bit kernels need. The {@code ./jnmt} launcher passes them;
 * someone who starts {@code jnmt.jar} with a plain {@code java -jar} gets a one-line warning instead of a
 * translation that is, in some runs, several times slower for no visible reason.
 */
final class JvmCheck {
  private JvmCheck() {}

  /** The value the 8-bit kernels need (see BENCHMARKS.md, "JIT robustness"). */
  static final String TYPE_PROFILE_LEVEL = "222";

  /** The running JVM's -XX:TypeProfileLevel, or empty when it cannot be read (not HotSpot). */
  static Optional<String> typeProfileLevel() {
    try {
      HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return bean == null ? Optional.empty() : Optional.of(bean.getVMOption("TypeProfileLevel").getValue());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The warning to print for this precision and TypeProfileLevel, if any. */
  static Optional<String> warning(GemmPrecision precision, Optional<String> level) {
    if (!precision.is8Bit() || level.isEmpty() || level.get().equals(TYPE_PROFILE_LEVEL)) {
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
