package dev.jnmt.intgemm;

import java.lang.System.Logger.Level;

/**
 * The SIMD width every intgemm4j kernel uses, decided once per JVM.
 *
 * <p>Detection: the preferred species width of the running CPU and JVM ({@code IntVector.SPECIES_PREFERRED},
 * which follows HotSpot's {@code MaxVectorSize}/{@code UseAVX}: 512 bits on AVX-512 CPUs where HotSpot enables
 * it, 256 on AVX2). The float paths (float32 GEMM, the decoder's element-wise ops and reductions) give the same
 * bits at every width, so the widest is taken; the 8- and 16-bit kernels cap themselves at 256 bits (their
 * pair layout is AVX2's). The system property {@code intgemm4j.width} may only lower it: {@code 0} (scalar),
 * {@code 128}, {@code 256} or {@code 512}; asking for more than the hardware has fails at class
 * initialisation. When the {@code jdk.incubator.vector} module is not readable the width is {@link #SCALAR}, and
 * {@link JvmCheck} warns once on stderr unless the property asks for scalar code.
 * The choice is logged once at debug level (logger {@code dev.jnmt.intgemm}).
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
      chosen = ofBits(hardware);
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

  /** The widest width this CPU and JVM offer (what {@link #current()} is unless the property lowers it). */
  static int hardwareBits() {
    try {
      if (!ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
        return 0;
      }
      return jdk.incubator.vector.IntVector.SPECIES_PREFERRED.vectorBitSize();
    } catch (LinkageError e) {
      return 0;
    }
  }
}
