package dev.jnmt.decoder.base;

import dev.jnmt.decoder.base.SettingException.Setting;

/**
 * The checks of the settings of a translation, in one place: {@code TranslationOptions}, the search's
 * {@code SearchConfig}, {@code Translator.Settings} and the command-line front ends call these, and a
 * failure is a {@link SettingException} naming the setting.
 */
public final class SettingChecks {
  private SettingChecks() {}

  /** Largest accepted beam (memory grows with beam × mini-batch × vocabulary). */
  public static final int MAX_BEAM = 1024;

  /** Largest accepted mini-batch, in sentences. */
  public static final int MAX_MINI_BATCH = 65536;

  /** 1 ≤ beamSize ≤ {@link #MAX_BEAM}. */
  public static int beamSize(int beamSize) {
    atLeast(Setting.BEAM_SIZE, beamSize, 1);
    if (beamSize > MAX_BEAM) {
      throw SettingException.of(Setting.BEAM_SIZE, beamSize + " is above the limit " + MAX_BEAM);
    }
    return beamSize;
  }

  /** 1 ≤ nBest ≤ beamSize. */
  public static int nBest(int nBest, int beamSize) {
    atLeast(Setting.N_BEST, nBest, 1);
    if (nBest > beamSize) {
      throw SettingException.of(Setting.N_BEST, nBest + " exceeds the beam size " + beamSize);
    }
    return nBest;
  }

  /** maxLength ≥ 2: it counts the decoder start token. */
  public static int maxLength(int maxLength) {
    if (maxLength < 2) {
      throw SettingException.of(
          Setting.MAX_LENGTH, "must be at least 2 (it counts the decoder start token), got " + maxLength);
    }
    return maxLength;
  }

  /** A finite length or word penalty. */
  public static double penalty(Setting setting, double value) {
    if (!Double.isFinite(value)) {
      throw SettingException.of(setting, "must be a finite number, got " + value);
    }
    return value;
  }

  /** 1 ≤ miniBatch ≤ {@link #MAX_MINI_BATCH}. */
  public static int miniBatch(int miniBatch) {
    atLeast(Setting.MINI_BATCH, miniBatch, 1);
    if (miniBatch > MAX_MINI_BATCH) {
      throw SettingException.of(Setting.MINI_BATCH, miniBatch + " is above the limit " + MAX_MINI_BATCH);
    }
    return miniBatch;
  }

  /** threads ≥ 1. */
  public static int threads(int threads) {
    return atLeast(Setting.THREADS, threads, 1);
  }

  /** value ≥ min, else "{name} must be at least min, got value". */
  public static int atLeast(Setting setting, int value, int min) {
    if (value < min) {
      throw SettingException.of(setting, "must be at least " + min + ", got " + value);
    }
    return value;
  }

  /** A non-null value. */
  public static <T> T present(Setting setting, T value) {
    if (value == null) {
      throw SettingException.of(setting, "is missing");
    }
    return value;
  }
}
