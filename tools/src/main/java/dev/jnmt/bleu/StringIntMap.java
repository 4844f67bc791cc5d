package dev.jnmt.bleu;

/**
 * A small open-addressing {@code String → int} map for per-segment token ids, reused across
 * segments ({@link #clear()} costs O(size)). No boxing; {@link #idOf} assigns ids 1, 2, 3, ... in
 * first-seen order.
 */
final class StringIntMap {
  private String[] keys;
  private int[] values;
  private int[] used;
  private int size;
  private int mask;

  StringIntMap(int capacity) {
    int cap = Integer.highestOneBit(Math.max(16, capacity) - 1) << 1;
    keys = new String[cap];
    values = new int[cap];
    used = new int[cap / 2];
    mask = cap - 1;
  }

  int size() {
    return size;
  }

  /** The id of {@code key}, assigning the next id (size + 1) if it is new. */
  int idOf(String key) {
    int h = spread(key.hashCode()) & mask;
    String k;
    while ((k = keys[h]) != null) {
      if (k.equals(key)) {
        return values[h];
      }
      h = (h + 1) & mask;
    }
    keys[h] = key;
    values[h] = size + 1;
    used[size++] = h;
    if (size >= used.length) {
      grow();
    }
    return size;
  }

  void clear() {
    for (int i = 0; i < size; i++) {
      keys[used[i]] = null;
    }
    size = 0;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16) ^ (h >>> 7);
  }

  private void grow() {
    String[] oldKeys = new String[size];
    int[] oldValues = new int[size];
    for (int i = 0; i < size; i++) {
      oldKeys[i] = keys[used[i]];
      oldValues[i] = values[used[i]];
    }
    int cap = keys.length * 2;
    keys = new String[cap];
    values = new int[cap];
    used = new int[cap / 2];
    mask = cap - 1;
    for (int i = 0; i < oldKeys.length; i++) {
      int h = spread(oldKeys[i].hashCode()) & mask;
      while (keys[h] != null) {
        h = (h + 1) & mask;
      }
      keys[h] = oldKeys[i];
      values[h] = oldValues[i];
      used[i] = h;
    }
  }
}
