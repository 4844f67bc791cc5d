package dev.jnmt.intgemm;

import java.lang.System.Logger.Level;

/**
 * The SIMD width every intgemm4j kernel uses, decided once per JVM.
 *
 * <p>Detection: the preferred integer species width of the running CPU ({@code IntVector.SPECIES_PREFERRED}),
 * capped at 256 bits (512 only when asked for explicitly, as CTranslate2 and llama3.java found 512 slower on
 * several CPUs). The system property {@code intgemm4j.width} may only lower it: {@code 0} (scalar), {@code 128},
 * {@code 256} or {@code 512}; asking for more than the hardware has fails at class initialisation. When the
 * {@code jdk.incubator.vector} module is not readable the width is {@link #SCALAR}, and {@link JvmCheck} warns
 * once on stderr unless the property asks for scalar code.
 */
public enum VectorWidth {
  SCALAR(0),
  V128(128),
  V256(256),
  V512(512);

  /** The property that lowers the width (or opts into 512): 0, 128, 256 or 512. */
  public static final String PROPERTY = "intgemm4j.width";

  private static final VectorWidth CURRENT = detect();

  private final int bits;

  VectorWidth(int bits) {
    this.bits = bits;
  }

  /** Width in bits; 0 for {@link #SCALAR}. */
  public int bits() {
    return bits;
  }

  /** The width chosen for this JVM. */
  public static VectorWidth current() {
    return CURRENT;
  }

  static VectorWidth ofBits(int bits) {
    for (VectorWidth w : values()) {
      if (w.bits == bits) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        PROPERTY + "=" + bits + " is not one of 0, 128, 256, 512");
  }

  private static VectorWidth detect() {
    int hardware = hardwareBits();
    String override = System.getProperty(PROPERTY);
    if (!vectorModuleReadable() && (override == null || override.isBlank())) {
      JvmCheck.warnAboutMissingVectorModuleOnce();
    }
    VectorWidth chosen;
    if (override == null || override.isBlank()) {
      chosen = ofBits(Math.min(hardware, 256));
    } else {
      int asked;
      try {
        asked = Integer.parseInt(override.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(PROPERTY + "=" + override + " is not a number");
      }
      VectorWidth w = ofBits(asked);
      if (asked > hardware) {
        throw new IllegalStateException(
            PROPERTY + "=" + asked + " but this CPU/JVM supports at most " + hardware + " bits");
      }
      chosen = w;
    }
    System.getLogger("dev.jnmt.intgemm")
        .log(
            Level.DEBUG,
            "intgemm4j: {0} (preferred {1}, override {2})",
            chosen,
            hardware,
            override == null ? "none" : override);
    return chosen;
  }

  private static boolean vectorModuleReadable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  private static int hardwareBits() {
    try {
      if (!ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
        return 0;
      }
      int bits = jdk.incubator.vector.IntVector.SPECIES_PREFERRED.vectorBitSize();
      // Integer vectors below 256 bits are slow on x86 (no 128-bit advantage); still allowed if asked.
      return bits;
    } catch (LinkageError e) {
      return 0;
    }
  }
}
