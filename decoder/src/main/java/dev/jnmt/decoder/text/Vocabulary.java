package dev.jnmt.decoder.text;

import dev.jnmt.decoder.base.Json;
import dev.jnmt.decoder.config.JsonFiles;
import dev.jnmt.decoder.base.CheckpointException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A MarianMT vocabulary ({@code vocab.json} / {@code target_vocab.json}): piece → id, ids unique and
 * non-negative. Immutable and thread-safe.
 */
public final class Vocabulary {

  private final Path source;
  private final Map<String, Integer> ids;
  private final String[] pieces;

  private Vocabulary(Path source, Map<String, Integer> ids, String[] pieces) {
    this.source = source;
    this.ids = ids;
    this.pieces = pieces;
  }

  /**
   * Reads a vocab.json object.
   *
   * @throws CheckpointException naming the file and piece for invalid JSON, a non-integer or negative id,
   *     or an id used twice
   */
  public static Vocabulary read(Path path) {
    Json root = JsonFiles.readObject(path);
    Map<String, Integer> ids = new HashMap<>(root.size() * 2);
    int max = -1;
    for (Map.Entry<String, Json> e : root.properties()) {
      Json v = e.getValue();
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
        throw new CheckpointException(path + ": piece '" + e.getKey() + "' has id " + v + ", not a non-negative integer");
      }
      ids.put(e.getKey(), v.intValue());
      max = Math.max(max, v.intValue());
    }
    if (ids.isEmpty()) {
      throw new CheckpointException(path + ": empty vocabulary");
    }
    if (max > 16 * ids.size() + 1024) {
      throw new CheckpointException(path + ": id " + max + " is far beyond the " + ids.size() + " entries (not a vocabulary?)");
    }
    String[] pieces = new String[max + 1];
    for (Map.Entry<String, Integer> e : ids.entrySet()) {
      int id = e.getValue();
      if (pieces[id] != null) {
        String a = pieces[id].compareTo(e.getKey()) < 0 ? pieces[id] : e.getKey();
        String b = a.equals(pieces[id]) ? e.getKey() : pieces[id];
        throw new CheckpointException(path + ": id " + id + " is used by both '" + a + "' and '" + b + "'");
      }
      pieces[id] = e.getKey();
    }
    return new Vocabulary(path, Collections.unmodifiableMap(ids), pieces);
  }

  /** Builds a vocabulary from pieces in id order (for tests and converters). */
  public static Vocabulary of(List<String> piecesInIdOrder) {
    Map<String, Integer> ids = new HashMap<>();
    for (int i = 0; i < piecesInIdOrder.size(); i++) {
      if (ids.put(piecesInIdOrder.get(i), i) != null) {
        throw new IllegalArgumentException("piece '" + piecesInIdOrder.get(i) + "' appears twice");
      }
    }
    return new Vocabulary(null, Collections.unmodifiableMap(ids), piecesInIdOrder.toArray(String[]::new));
  }

  /** The file it was read from (null when built in memory). */
  public Path source() {
    return source;
  }

  /** The id of a piece, if present. */
  public OptionalInt id(String piece) {
    Integer id = ids.get(piece);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  /** The id of a piece, or {@code fallback}. */
  public int idOr(String piece, int fallback) {
    Integer id = ids.get(piece);
    return id == null ? fallback : id;
  }

  /** The piece of an id, or null when no piece has that id. */
  public String piece(int id) {
    return id >= 0 && id < pieces.length ? pieces[id] : null;
  }

  /** Number of entries. */
  public int size() {
    return ids.size();
  }

  /** One past the largest id. */
  public int idLimit() {
    return pieces.length;
  }

  /** Entries that look like target-language tags ({@code >>xx<<}), sorted. */
  public List<String> languageCodes() {
    List<String> out = new ArrayList<>();
    for (String p : ids.keySet()) {
      if (p.length() > 4 && p.startsWith(">>") && p.endsWith("<<")) {
        out.add(p);
      }
    }
    Collections.sort(out);
    return out;
  }
}
