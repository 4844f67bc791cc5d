package dev.jnmt.bleu;

/**
 * A small open-addressing {@code long → int} counter for packed n-gram keys, reused across
 * segments: {@link #clear()} only resets the slots that were used, so it costs O(size), not
 * O(capacity). Key 0 is reserved as the empty marker (packed keys are never 0 because ids start at
 * 1).
 */
final class LongIntMap {
  private long[] keys;
  private int[] values;
  private int[] used;
  private int size;
  private int mask;

  LongIntMap() {
    this(64);
  }

  LongIntMap(int capacity) {
    int cap = Integer.highestOneBit(Math.max(16, capacity) - 1) << 1;
    keys = new long[cap];
    values = new int[cap];
    used = new int[cap / 2];
    mask = cap - 1;
  }

  int size() {
    return size;
  }

  /** The key of the {@code i}-th entry in insertion order, {@code 0 <= i < size()}. */
  long keyAt(int i) {
    return keys[used[i]];
  }

  /** The value of the {@code i}-th entry in insertion order. */
  int valueAt(int i) {
    return values[used[i]];
  }

  int get(long key) {
    int slot = slot(key);
    return keys[slot] == key ? values[slot] : 0;
  }

  /** Adds {@code delta} to the key's count. */
  void add(long key, int delta) {
    int slot = slot(key);
    if (keys[slot] == key) {
      values[slot] += delta;
      return;
    }
    insert(slot, key, delta);
  }

  /**
   * Decrements the key's count if it is positive. Returns 1 if it did, 0 if the key is present with
   * count 0, and -1 if the key is absent.
   */
  int take(long key) {
    int slot = slot(key);
    if (keys[slot] != key) {
      return -1;
    }
    if (values[slot] > 0) {
      values[slot]--;
      return 1;
    }
    return 0;
  }

  /** Keeps the larger of the stored count and {@code value}. */
  void max(long key, int value) {
    int slot = slot(key);
    if (keys[slot] == key) {
      if (value > values[slot]) {
        values[slot] = value;
      }
      return;
    }
    insert(slot, key, value);
  }

  void clear() {
    for (int i = 0; i < size; i++) {
      keys[used[i]] = 0;
      values[used[i]] = 0;
    }
    size = 0;
  }

  private void insert(int slot, long key, int value) {
    keys[slot] = key;
    values[slot] = value;
    used[size++] = slot;
    if (size >= used.length) {
      grow();
    }
  }

  private int slot(long key) {
    int h = (int) (key * 0x9E3779B97F4A7C15L >>> 32) & mask;
    while (keys[h] != 0 && keys[h] != key) {
      h = (h + 1) & mask;
    }
    return h;
  }

  private void grow() {
    long[] oldKeys = new long[size];
    int[] oldValues = new int[size];
    for (int i = 0; i < size; i++) {
      oldKeys[i] = keys[used[i]];
      oldValues[i] = values[used[i]];
    }
    int cap = keys.length * 2;
    keys = new long[cap];
    values = new int[cap];
    used = new int[cap / 2];
    mask = cap - 1;
    int n = size;
    size = 0;
    for (int i = 0; i < n; i++) {
      insert(slot(oldKeys[i]), oldKeys[i], oldValues[i]);
    }
  }
}
