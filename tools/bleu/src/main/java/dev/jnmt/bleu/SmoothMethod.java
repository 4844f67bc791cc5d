package dev.jnmt.bleu;

import java.util.Arrays;
import java.util.Optional;

/**
 * BLEU smoothing (Chen and Cherry, WMT 2014), with sacrebleu's names and default values.
 *
 * <ul>
 *   <li>{@link #EXP} (default): NIST / mteval-v13a. Each order with no match gets {@code
 *       100/(2^k · total)}, where k counts the zero-match orders so far.
 *   <li>{@link #FLOOR}: a zero-match order gets {@code 100·value/total} (default value 0.1).
 *   <li>{@link #ADD_K}: k is added to matches and totals of orders 2 and up (default k = 1).
 *   <li>{@link #NONE}: no smoothing.
 * </ul>
 * A hypothesis set with no match at all scores 0 whatever the method.
 */
public enum SmoothMethod {
  NONE("none", null),
  FLOOR("floor", 0.1),
  ADD_K("add-k", 1.0),
  EXP("exp", null);

  private final String sacrebleuName;
  private final Double defaultValue;

  SmoothMethod(String sacrebleuName, Double defaultValue) {
    this.sacrebleuName = sacrebleuName;
    this.defaultValue = defaultValue;
  }

  /** The name used by {@code -s} and in the signature. */
  public String sacrebleuName() {
    return sacrebleuName;
  }

  /** Whether the method takes a value ({@code floor}, {@code add-k}). */
  public boolean takesValue() {
    return defaultValue != null;
  }

  /** The default value, or 0 for the methods that take none. */
  public double defaultValue() {
    return defaultValue == null ? 0 : defaultValue;
  }

  public static Optional<SmoothMethod> forName(String name) {
    return Arrays.stream(values()).filter(m -> m.sacrebleuName.equals(name)).findFirst();
  }
}
