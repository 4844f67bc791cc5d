package dev.jnmt.decoder.shortlist;

import dev.jnmt.decoder.base.SettingException;
import dev.jnmt.decoder.base.SettingException.Setting;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What a shortlist option ({@code FILE [FIRST BEST [THRESHOLD]]}, {@code jnmt translate --shortlist}) asks
 * for, in Marian's argument order: the file,
 * then optionally the number of most frequent target ids always kept ({@code first}), the number of
 * translations kept per source token ({@code best}) and the probability a translation must exceed
 * ({@code threshold}). Absent values come from a binary file's header, or Marian's defaults 100, 100, 0
 * for a text table.
 */
public record ShortlistSpec(Path file, OptionalInt first, OptionalInt best, OptionalDouble threshold) {

  /** Marian's defaults for text tables. */
  public static final int DEFAULT_FIRST = 100;

  public static final int DEFAULT_BEST = 100;

  public ShortlistSpec {
    if (file == null) {
      throw SettingException.of(Setting.SHORTLIST, "has no file");
    }
    if (first.isPresent() && first.getAsInt() < 0) {
      throw SettingException.of(Setting.SHORTLIST, file + ": FIRST must be ≥ 0, got " + first.getAsInt());
    }
    if (best.isPresent() && best.getAsInt() < 0) {
      throw SettingException.of(Setting.SHORTLIST, file + ": BEST must be ≥ 0, got " + best.getAsInt());
    }
    if (threshold.isPresent() && !(threshold.getAsDouble() >= 0 && threshold.getAsDouble() < 1)) {
      throw SettingException.of(
          Setting.SHORTLIST, file + ": THRESHOLD must be in [0, 1), got " + threshold.getAsDouble());
    }
  }

  /** The file alone: parameters from the header or the defaults. */
  public static ShortlistSpec of(Path file) {
    return new ShortlistSpec(file, OptionalInt.empty(), OptionalInt.empty(), OptionalDouble.empty());
  }

  public static ShortlistSpec of(Path file, int first, int best) {
    return new ShortlistSpec(file, OptionalInt.of(first), OptionalInt.of(best), OptionalDouble.empty());
  }

  public static ShortlistSpec of(Path file, int first, int best, double threshold) {
    return new ShortlistSpec(file, OptionalInt.of(first), OptionalInt.of(best), OptionalDouble.of(threshold));
  }

  /**
   * Parses the option's values: {@code FILE}, {@code FILE FIRST BEST} or {@code FILE FIRST BEST THRESHOLD}.
   *
   * @throws SettingException (setting {@link Setting#SHORTLIST}) naming the bad value
   */
  public static ShortlistSpec parse(List<String> values) {
    if (values.isEmpty() || values.size() == 2 || values.size() > 4) {
      throw SettingException.of(
          Setting.SHORTLIST, "takes FILE [FIRST BEST [THRESHOLD]], got " + values.size() + " value(s): " + values);
    }
    Path file = Path.of(values.get(0));
    if (values.size() == 1) {
      return of(file);
    }
    int first = integer(values.get(1), "FIRST", file);
    int best = integer(values.get(2), "BEST", file);
    if (values.size() == 3) {
      return of(file, first, best);
    }
    double t;
    try {
      t = Double.parseDouble(values.get(3));
    } catch (NumberFormatException e) {
      throw SettingException.of(Setting.SHORTLIST, file + ": THRESHOLD '" + values.get(3) + "' is not a number");
    }
    return of(file, first, best, t);
  }

  private static int integer(String s, String what, Path file) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw SettingException.of(Setting.SHORTLIST, file + ": " + what + " '" + s + "' is not an integer");
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(file.toString());
    first.ifPresent(f -> sb.append(' ').append(f));
    best.ifPresent(b -> sb.append(' ').append(b));
    threshold.ifPresent(t -> sb.append(' ').append(String.format(Locale.ROOT, "%s", t)));
    return sb.toString();
  }
}
