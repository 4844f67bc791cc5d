package dev.jnmt.decoder.model;

import dev.jnmt.decoder.ops.FloatOps;
import java.util.Arrays;

/**
 * The self-attention keys and values of one decoder layer: per row (hypothesis), one d-vector per
 * generated position. Keys are stored transposed ([d × capacity]: the key of position p, dimension c at
 * {@code c·capacity + p}) for the score kernel, values as rows ([capacity × d]). Capacity is padded to
 * {@link FloatOps#PAD} and doubles when full. Reordering the rows moves arrays and copies only those a
 * second child needs; a reorder with fewer parents drops the rows no one names.
 */
public final class KvCache {

  private final int d;
  private float[][] keys;
  private float[][] values;
  private int capacity;

  KvCache(int rows, int d, int initialCapacity) {
    this.d = d;
    this.capacity = FloatOps.roundUpToPad(initialCapacity);
    this.keys = new float[rows][capacity * d];
    this.values = new float[rows][capacity * d];
  }

  /** Rows (hypotheses). */
  public int rows() {
    return keys.length;
  }

  /** Positions each row can hold without growing. */
  public int capacity() {
    return capacity;
  }

  float[] keys(int row) {
    return keys[row];
  }

  float[] values(int row) {
    return values[row];
  }

  /** Stores row {@code row}'s key {@code k[ko..ko+d)} and value {@code v[vo..vo+d)} at {@code position}. */
  void put(int row, int position, float[] k, int ko, float[] v, int vo) {
    float[] kr = keys[row];
    for (int c = 0; c < d; c++) {
      kr[c * capacity + position] = k[ko + c];
    }
    System.arraycopy(v, vo, values[row], position * d, d);
  }

  /** Grows every row to hold at least {@code positions} positions (keeping what is stored). */
  void ensureCapacity(int positions) {
    if (positions <= capacity) {
      return;
    }
    int cap = FloatOps.roundUpToPad(Math.max(positions, capacity * 2));
    for (int r = 0; r < keys.length; r++) {
      float[] old = keys[r];
      float[] wider = new float[cap * d];
      for (int c = 0; c < d; c++) {
        System.arraycopy(old, c * capacity, wider, c * cap, capacity);
      }
      keys[r] = wider;
      values[r] = Arrays.copyOf(values[r], cap * d);
    }
    capacity = cap;
  }

  /**
   * New row i continues old row {@code parents[i]}; only the {@code filled} stored positions are copied.
   *
   * @param parents each in [0, rows()); repeats allowed, omissions drop rows
   */
  void reorder(int[] parents, int filled) {
    // Keys are [d × capacity] (d runs of `filled` floats), values [capacity × d] (one run of filled·d).
    keys = gather(keys, parents, d, capacity, filled);
    values = gather(values, parents, 1, 0, filled * d);
  }

  /**
   * New row i gets old row parents[i]'s array; a parent's second and later children get copies (of the
   * {@code runs} filled runs), made into the arrays of dropped rows when there are any (no allocation in
   * the steady state; what lies past the filled positions is never used).
   */
  private static float[][] gather(float[][] old, int[] parents, int runs, int runStride, int runLength) {
    boolean[] taken = new boolean[old.length];
    for (int par : parents) {
      taken[par] = true;
    }
    float[][] free = new float[old.length][];
    int nFree = 0;
    for (int i = 0; i < old.length; i++) {
      if (!taken[i]) {
        free[nFree++] = old[i];
      }
    }
    boolean[] used = new boolean[old.length];
    float[][] out = new float[parents.length][];
    for (int i = 0; i < parents.length; i++) {
      int par = parents[i];
      if (used[par]) {
        float[] src = old[par];
        float[] c = nFree > 0 ? free[--nFree] : new float[src.length];
        for (int r = 0; r < runs; r++) {
          System.arraycopy(src, r * runStride, c, r * runStride, runLength);
        }
        out[i] = c;
      } else {
        out[i] = old[par];
        used[par] = true;
      }
    }
    return out;
  }
}
