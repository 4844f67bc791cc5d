package dev.jnmt.bleu;

import java.math.BigInteger;

/**
 * NumPy's default random generator, {@code numpy.random.default_rng(seed)}, bit for bit: a {@code
 * SeedSequence} turns the integer seed into four 64-bit words, which seed PCG64 (128-bit LCG with
 * the XSL-RR output function); 32-bit draws take the low then the high half of a 64-bit draw, and
 * {@code integers}/{@code choice} bound them with Lemire's multiply-and-reject method, as NumPy's
 * {@code random_bounded_uint64_fill} does for ranges below 2^32. Only what sacrebleu's significance
 * code draws is implemented: {@code choice(n, size, replace=True)} and {@code integers(2,
 * dtype=bool)}.
 *
 * <p>Not thread-safe.
 */
public final class Pcg64 {

  // PCG64's 128-bit multiplier 0x2360ed051fc65da44385df649fccf645, as two halves
  private static final long MULT_HI = 0x2360ed051fc65da4L;
  private static final long MULT_LO = 0x4385df649fccf645L;

  private long stateHi;
  private long stateLo;
  private long incHi;
  private long incLo;
  private boolean hasUint32;
  private int uinteger;

  /** {@code default_rng(seed)} for a non-negative integer seed of any size. */
  public Pcg64(BigInteger seed) {
    long[] words = seedSequenceState(seed, 4);
    // pcg64_set_seed: state = words[0..1], inc = words[2..3] (each high word first)
    seed(words[0], words[1], words[2], words[3]);
  }

  /** {@code default_rng(seed)}. */
  public Pcg64(long seed) {
    this(BigInteger.valueOf(seed));
  }

  private void seed(long initHi, long initLo, long seqHi, long seqLo) {
    // inc = (initseq << 1) | 1
    incHi = (seqHi << 1) | (seqLo >>> 63);
    incLo = (seqLo << 1) | 1L;
    stateHi = 0;
    stateLo = 0;
    step();
    long lo = stateLo + initLo;
    long carry = Long.compareUnsigned(lo, stateLo) < 0 ? 1 : 0;
    stateHi = stateHi + initHi + carry;
    stateLo = lo;
    step();
    hasUint32 = false;
  }

  private void step() {
    // state = state * MULT + inc (mod 2^128)
    long lo = stateLo * MULT_LO;
    long hi = Math.unsignedMultiplyHigh(stateLo, MULT_LO) + stateLo * MULT_HI + stateHi * MULT_LO;
    long nlo = lo + incLo;
    long carry = Long.compareUnsigned(nlo, lo) < 0 ? 1 : 0;
    stateHi = hi + incHi + carry;
    stateLo = nlo;
  }

  /** The next 64-bit output (XSL-RR of the stepped state). */
  public long nextLong() {
    step();
    return Long.rotateRight(stateHi ^ stateLo, (int) (stateHi >>> 58));
  }

  /** The next 32-bit output: the low half of a 64-bit draw, then its high half. */
  public int nextInt() {
    if (hasUint32) {
      hasUint32 = false;
      return uinteger;
    }
    long next = nextLong();
    hasUint32 = true;
    uinteger = (int) (next >>> 32);
    return (int) next;
  }

  /** A uniform integer in {@code [0, n)} for {@code 1 <= n <= 2^32}, as NumPy draws it. */
  public long bounded(long n) {
    if (n < 1 || n > (1L << 32)) {
      throw new IllegalArgumentException("bound must be in [1, 2^32], got " + n);
    }
    long rng = n - 1;
    if (rng == 0) {
      return 0;
    }
    if (rng == 0xFFFFFFFFL) {
      return Integer.toUnsignedLong(nextInt());
    }
    long rngExcl = n;
    long m = Integer.toUnsignedLong(nextInt()) * rngExcl;
    long leftover = m & 0xFFFFFFFFL;
    if (leftover < rngExcl) {
      long threshold = (0xFFFFFFFFL - rng) % rngExcl;
      while (leftover < threshold) {
        m = Integer.toUnsignedLong(nextInt()) * rngExcl;
        leftover = m & 0xFFFFFFFFL;
      }
    }
    return m >>> 32;
  }

  /**
   * {@code rng.choice(n, size=(rows, n), replace=True)}: row-major indices in {@code [0, n)}.
   *
   * @return {@code rows * n} indices
   */
  public int[] choice(int n, int rows) {
    int[] out = new int[Math.multiplyExact(rows, n)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (int) bounded(n);
    }
    return out;
  }

  /**
   * {@code rng.integers(2, size=(rows, cols), dtype=bool)}: each 32-bit draw gives 32 booleans,
   * lowest bit first.
   */
  public boolean[] booleans(int count) {
    boolean[] out = new boolean[count];
    int buf = 0;
    int bcnt = 0;
    for (int i = 0; i < count; i++) {
      if (bcnt == 0) {
        buf = nextInt();
        bcnt = 31;
      } else {
        buf >>>= 1;
        bcnt--;
      }
      out[i] = (buf & 1) != 0;
    }
    return out;
  }

  // ---- SeedSequence ----

  private static final int INIT_A = 0x43b0d7e5;
  private static final int MULT_A = 0x931e8875;
  private static final int INIT_B = 0x8b51f9dd;
  private static final int MULT_B = 0x58f38ded;
  private static final int MIX_MULT_L = 0xca01f9dd;
  private static final int MIX_MULT_R = 0x4973f715;
  private static final int POOL_SIZE = 4;

  /**
   * {@code SeedSequence(seed).generate_state(nWords, np.uint64)}, each 64-bit word assembled from
   * two little-endian 32-bit words.
   */
  static long[] seedSequenceState(BigInteger seed, int nWords) {
    if (seed.signum() < 0) {
      throw new IllegalArgumentException("seed must be non-negative, got " + seed);
    }
    // _coerce_to_uint32_array: little-endian 32-bit words, at least one
    int nEntropy = Math.max(1, (seed.bitLength() + 31) / 32);
    int[] entropy = new int[nEntropy];
    for (int i = 0; i < nEntropy; i++) {
      entropy[i] = seed.shiftRight(32 * i).intValue();
    }
    int[] pool = new int[POOL_SIZE];
    int[] hashConst = {INIT_A};
    for (int i = 0; i < POOL_SIZE; i++) {
      pool[i] = hashmix(i < nEntropy ? entropy[i] : 0, hashConst);
    }
    for (int src = 0; src < POOL_SIZE; src++) {
      for (int dst = 0; dst < POOL_SIZE; dst++) {
        if (src != dst) {
          pool[dst] = mix(pool[dst], hashmix(pool[src], hashConst));
        }
      }
    }
    for (int src = POOL_SIZE; src < nEntropy; src++) {
      for (int dst = 0; dst < POOL_SIZE; dst++) {
        pool[dst] = mix(pool[dst], hashmix(entropy[src], hashConst));
      }
    }
    int n32 = 2 * nWords;
    int[] state = new int[n32];
    int h = INIT_B;
    for (int i = 0; i < n32; i++) {
      int v = pool[i % POOL_SIZE];
      v ^= h;
      h *= MULT_B;
      v *= h;
      v ^= v >>> 16;
      state[i] = v;
    }
    long[] out = new long[nWords];
    for (int i = 0; i < nWords; i++) {
      out[i] = Integer.toUnsignedLong(state[2 * i]) | ((long) state[2 * i + 1] << 32);
    }
    return out;
  }

  private static int hashmix(int value, int[] hashConst) {
    value ^= hashConst[0];
    hashConst[0] *= MULT_A;
    value *= hashConst[0];
    value ^= value >>> 16;
    return value;
  }

  private static int mix(int x, int y) {
    int r = MIX_MULT_L * x - MIX_MULT_R * y;
    r ^= r >>> 16;
    return r;
  }
}
