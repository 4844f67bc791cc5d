package dev.jnmt.bleu;

import java.util.Arrays;

/**
 * Per-segment token ids: an open-addressing map from token text (a range of a {@link Tokens}
 * buffer) to ids 1, 2, 3, ... in first-seen order. Keys point into the buffers, which must stay
 * unchanged until {@link #clear()}. Reused from segment to segment; {@code clear()} costs O(size).
 */
final class TokenIds {
  private char[][] keyBuf;
  private int[] keyOff;
  private int[] keyLen;
  private int[] keyHash;
  private int[] values;
  private int[] used;
  private int size;
  private int mask;

  TokenIds(int capacity) {
    allocate(Integer.highestOneBit(Math.max(16, capacity) - 1) << 1);
  }

  private void allocate(int cap) {
    keyBuf = new char[cap][];
    keyOff = new int[cap];
    keyLen = new int[cap];
    keyHash = new int[cap];
    values = new int[cap];
    used = new int[cap / 2];
    mask = cap - 1;
  }

  int size() {
    return size;
  }

  /** The id of the token {@code t.chars[t.start[i], +t.len[i])}, assigning the next id if new. */
  int idOf(Tokens t, int i) {
    char[] buf = t.chars;
    int off = t.start[i];
    int len = t.len[i];
    int h = 0;
    for (int k = off; k < off + len; k++) {
      h = 31 * h + buf[k];
    }
    h ^= (h >>> 16);
    int slot = (h * 0x9E3779B9) >>> 7 & mask;
    char[] kb;
    while ((kb = keyBuf[slot]) != null) {
      if (keyHash[slot] == h
          && keyLen[slot] == len
          && Arrays.equals(kb, keyOff[slot], keyOff[slot] + len, buf, off, off + len)) {
        return values[slot];
      }
      slot = (slot + 1) & mask;
    }
    keyBuf[slot] = buf;
    keyOff[slot] = off;
    keyLen[slot] = len;
    keyHash[slot] = h;
    values[slot] = size + 1;
    used[size++] = slot;
    if (size >= used.length) {
      grow();
    }
    return size;
  }

  void clear() {
    for (int i = 0; i < size; i++) {
      keyBuf[used[i]] = null;
    }
    size = 0;
  }

  private void grow() {
    char[][] ob = new char[size][];
    int[] oo = new int[size];
    int[] ol = new int[size];
    int[] oh = new int[size];
    int[] ov = new int[size];
    for (int i = 0; i < size; i++) {
      int s = used[i];
      ob[i] = keyBuf[s];
      oo[i] = keyOff[s];
      ol[i] = keyLen[s];
      oh[i] = keyHash[s];
      ov[i] = values[s];
    }
    allocate(keyBuf.length * 2);
    for (int i = 0; i < ob.length; i++) {
      int slot = (oh[i] * 0x9E3779B9) >>> 7 & mask;
      while (keyBuf[slot] != null) {
        slot = (slot + 1) & mask;
      }
      keyBuf[slot] = ob[i];
      keyOff[slot] = oo[i];
      keyLen[slot] = ol[i];
      keyHash[slot] = oh[i];
      values[slot] = ov[i];
      used[i] = slot;
    }
  }
}
