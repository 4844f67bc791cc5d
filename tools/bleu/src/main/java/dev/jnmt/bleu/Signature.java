package dev.jnmt.bleu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.StringJoiner;

/**
 * A sacrebleu reproducibility signature: ordered {@code key:value} pairs joined by {@code |}, with
 * {@code version} always last. The short form replaces each key by sacrebleu's abbreviation.
 *
 * @param entries the pairs in print order, {@code version} excluded (it is appended by {@link
 *     #format})
 * @param abbreviations the metric's own short names, over sacrebleu's common ones (TER shortens
 *     {@code tok} to {@code t}, BLEU keeps {@code tok})
 */
public record Signature(SequencedMap<String, String> entries, Map<String, String> abbreviations) {

  private static final Map<String, String> ABBREVIATIONS =
      Map.ofEntries(
          Map.entry("version", "v"),
          Map.entry("nrefs", "#"),
          Map.entry("test", "t"),
          Map.entry("lang", "l"),
          Map.entry("subset", "S"),
          Map.entry("origlang", "o"),
          Map.entry("bs", "bs"),
          Map.entry("ar", "ar"),
          Map.entry("seed", "rs"),
          Map.entry("case", "c"),
          Map.entry("eff", "e"),
          Map.entry("tok", "tok"),
          Map.entry("smooth", "s"),
          Map.entry("nc", "nc"),
          Map.entry("nw", "nw"),
          Map.entry("space", "s"));

  public Signature {
    entries = new LinkedHashMap<>(entries);
    abbreviations = Map.copyOf(abbreviations);
  }

  public Signature(SequencedMap<String, String> entries) {
    this(entries, Map.of());
  }

  /** This signature with the metric's own abbreviations. */
  public Signature withAbbreviations(Map<String, String> abbr) {
    return new Signature(entries, abbr);
  }

  /**
   * This signature with the resampling fields sacrebleu adds right after {@code nrefs}: {@code
   * bs} (bootstrap resamples), {@code ar} (randomization trials) and {@code seed}; a null value
   * leaves the field out.
   */
  public Signature withResampling(Integer bs, Integer ar, String seed) {
    SequencedMap<String, String> m = new LinkedHashMap<>();
    entries.forEach(
        (k, v) -> {
          m.put(k, v);
          if (k.equals("nrefs")) {
            if (bs != null) {
              m.put("bs", Integer.toString(bs));
            }
            if (ar != null) {
              m.put("ar", Integer.toString(ar));
            }
            if (seed != null) {
              m.put("seed", seed);
            }
          }
        });
    return new Signature(m, abbreviations);
  }

  /**
   * A signature that starts with sacrebleu's global {@code nrefs} field followed by the metric's
   * own fields, in order.
   *
   * @param numRefs references per segment, or -1 when segments have different numbers ({@code var})
   * @param keyValues alternating keys and values
   */
  static Signature of(int numRefs, List<String> keyValues) {
    SequencedMap<String, String> m = new LinkedHashMap<>();
    m.put("nrefs", numRefs == -1 ? "var" : Integer.toString(numRefs));
    for (int i = 0; i < keyValues.size(); i += 2) {
      m.put(keyValues.get(i), keyValues.get(i + 1));
    }
    return new Signature(m);
  }

  /** The signature as sacrebleu prints it, e.g. {@code nrefs:1|case:mixed|...|version:2.6.0}. */
  public String format(boolean shortForm) {
    StringJoiner j = new StringJoiner("|");
    entries.forEach((k, v) -> j.add((shortForm ? shortName(k) : k) + ":" + v));
    j.add((shortForm ? "v" : "version") + ":" + SacreBleu.VERSION);
    return j.toString();
  }

  private String shortName(String key) {
    String a = abbreviations.get(key);
    return a != null ? a : ABBREVIATIONS.getOrDefault(key, key);
  }

  @Override
  public String toString() {
    return format(false);
  }
}
