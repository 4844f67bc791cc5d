package dev.jnmt.intgemm;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/**
 * Checks the running JVM for what the kernels need, and warns once on stderr when something is missing,
 * instead of silently running slower code:
 *
 * <ul>
 *   <li>the {@code jdk.incubator.vector} module must be readable ({@code --add-modules
 *       jdk.incubator.vector}); without it every kernel runs its scalar twin, about three times slower, and
 *       float results differ in the last bits from the vector widths' (warned when {@link VectorWidth}
 *       is decided, unless {@code -Dintgemm4j.width=0} asks for scalar code);
 *   <li>the 8-bit kernels need {@code -XX:TypeProfileLevel=222}: with HotSpot's default level C2 boxes the
 *       tiles' accumulators in some JVM runs, several times slower (BENCHMARKS.md, "JIT robustness"); warned
 *       when the 8-bit vector kernels are first used.
 * </ul>
 *
 * An application that reports these conditions itself calls {@link #claimTypeProfileWarning()} first, so
 * that the library does not repeat it.
 */
public final class JvmCheck {
  private JvmCheck() {}

  /** The -XX:TypeProfileLevel the 8-bit kernels need. */
  public static final String TYPE_PROFILE_LEVEL = "222";

  private static boolean typeProfileWarned;
  private static boolean vectorWarned;

  /** The running JVM's -XX:TypeProfileLevel, or empty when it cannot be read (not HotSpot). */
  public static Optional<String> typeProfileLevel() {
    try {
      HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return bean == null ? Optional.empty() : Optional.of(bean.getVMOption("TypeProfileLevel").getValue());
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  /** Whether a JVM with this TypeProfileLevel (empty: unknown) runs the 8-bit kernels reliably. */
  public static boolean typeProfileLevelOk(Optional<String> level) {
    return level.isEmpty() || level.get().equals(TYPE_PROFILE_LEVEL);
  }

  /**
   * Marks the TypeProfileLevel warning as the caller's: returns true the first time (the caller reports
   * it), false afterwards; the library itself then never prints it.
   */
  public static synchronized boolean claimTypeProfileWarning() {
    boolean first = !typeProfileWarned;
    typeProfileWarned = true;
    return first;
  }

  /** Called when the 8-bit vector kernels are first used. */
  static void warnAboutTypeProfileLevelOnce() {
    Optional<String> level = typeProfileLevel();
    if (typeProfileLevelOk(level) || !claimTypeProfileWarning()) {
      return;
    }
    System.err.println(
        "intgemm4j: warning: this JVM runs with -XX:TypeProfileLevel=" + level.get()
            + "; the 8-bit kernels need -XX:TypeProfileLevel=" + TYPE_PROFILE_LEVEL
            + " to compile reliably, otherwise some runs are several times slower");
    System.err.flush();
  }

  /** Called once when the width is decided: the vector module is not readable and scalar code was not asked for. */
  static synchronized void warnAboutMissingVectorModuleOnce() {
    if (vectorWarned) {
      return;
    }
    vectorWarned = true;
    System.err.println(
        "intgemm4j: warning: the jdk.incubator.vector module is not readable (start java with --add-modules"
            + " jdk.incubator.vector); every kernel runs its scalar code, about 3 times slower, and float results"
            + " differ in the last bits from the vector widths' (-Dintgemm4j.width=0 asks for scalar code"
            + " without this warning)");
    System.err.flush();
  }
}
