package dev.jnmt.decoder.model;

import dev.jnmt.decoder.ops.FloatOps;
import java.util.Arrays;

/**
 * The self-attention keys and values of one decoder layer: per row (hypothesis), one d-vector each per
 * generated position, in chunks of {@link #CHUNK} positions. A chunk is one float array: the keys of its
 * positions transposed ([d × CHUNK]: dimension c of its position i at {@code c·CHUNK + i}) for the score
 * kernel, then the values as rows ([CHUNK × d] at {@link #valuesOffset}).
 *
 * <p>A full chunk is never written again, so rows share them: a reorder gives every child of a row that
 * row's full chunks, and copies only the chunk being filled (its filled positions) for a second or later
 * child; beams of one sentence share the keys and values of their common prefix. Chunks are counted
 * references into the model's {@link KvPool}: the ones no row names any more go back to it at once, and
 * growing by a position never copies. Not thread-safe (one session, one thread).
 */
public final class KvCache {

  /** Positions per chunk. */
  static final int CHUNK = FloatOps.PAD;

  private final int d;
  private final int maxChunks;
  private final KvPool pool;
  /** Row r's chunks [0, count): their counted references, and their arrays (what the kernel reads). */
  private KvPool.Chunk[][] owners;
  private float[][][] data;
  /** The same for the rows a reorder builds (swapped with the current ones). */
  private KvPool.Chunk[][] nextOwners;
  private float[][][] nextData;
  private boolean[] hasChild = new boolean[0];
  private int rows;
  private int count;

  /**
   * An empty cache of {@code rows} rows of width d for up to {@code maxPositions} positions, its chunks
   * from {@code pool} (whose chunks must hold {@link #chunkFloats}(d) floats).
   */
  KvCache(int rows, int d, int maxPositions, KvPool pool) {
    if (pool.chunkFloats() != chunkFloats(d)) {
      throw new IllegalArgumentException("pool chunks of " + pool.chunkFloats() + " floats for d " + d);
    }
    this.d = d;
    this.maxChunks = Math.max(1, (maxPositions + CHUNK - 1) / CHUNK);
    this.pool = pool;
    this.owners = new KvPool.Chunk[0][];
    this.data = new float[0][][];
    this.nextOwners = owners;
    this.nextData = data;
    ensureRows(rows);
    this.rows = rows;
  }

  /** Floats of one chunk for width d. */
  static int chunkFloats(int d) {
    return 2 * d * CHUNK;
  }

  /** Where the values start in a chunk of width d. */
  static int valuesOffset(int d) {
    return d * CHUNK;
  }

  /** Rows (hypotheses). */
  public int rows() {
    return rows;
  }

  /** Positions each row can hold without taking a chunk. */
  public int capacity() {
    return count * CHUNK;
  }

  /** Row {@code row}'s chunks (the first {@code capacity() / CHUNK} are its). */
  float[][] chunks(int row) {
    return data[row];
  }

  /** Stores row {@code row}'s key {@code k[ko..ko+d)} and value {@code v[vo..vo+d)} at {@code position}. */
  void put(int row, int position, float[] k, int ko, float[] v, int vo) {
    float[] c = data[row][position / CHUNK];
    int i = position % CHUNK;
    for (int j = 0; j < d; j++) {
      c[j * CHUNK + i] = k[ko + j];
    }
    System.arraycopy(v, vo, c, d * CHUNK + i * d, d);
  }

  /** Gives every row chunks for at least {@code positions} positions (keeping what is stored). */
  void ensureCapacity(int positions) {
    if (positions > maxChunks * CHUNK) {
      throw new IllegalArgumentException(positions + " positions, at most " + maxChunks * CHUNK);
    }
    while (count * CHUNK < positions) {
      for (int r = 0; r < rows; r++) {
        KvPool.Chunk c = pool.acquire();
        owners[r][count] = c;
        data[r][count] = c.data;
      }
      count++;
    }
  }

  /**
   * New row i continues old row {@code parents[i]}; only the {@code filled} stored positions are kept.
   *
   * @param parents each in [0, rows()); repeats allowed, omissions drop rows
   */
  void reorder(int[] parents, int filled) {
    int n = parents.length;
    ensureRows(n);
    int full = Math.min(filled / CHUNK, count);
    int part = full < count ? filled - full * CHUNK : 0;
    Arrays.fill(hasChild, 0, rows, false);
    for (int i = 0; i < n; i++) {
      int p = parents[i];
      KvPool.Chunk[] src = owners[p];
      KvPool.Chunk[] dst = nextOwners[i];
      float[][] dd = nextData[i];
      for (int c = 0; c < full; c++) {
        KvPool.Chunk k = src[c];
        k.refs++;
        dst[c] = k;
        dd[c] = k.data;
      }
      if (part > 0) {
        KvPool.Chunk k = src[full];
        if (hasChild[p]) {
          KvPool.Chunk copy = pool.acquire();
          copyFilled(k.data, copy.data, part);
          k = copy;
        } else {
          k.refs++;
        }
        dst[full] = k;
        dd[full] = k.data;
      }
      hasChild[p] = true;
    }
    releaseRows();
    KvPool.Chunk[][] o = owners;
    owners = nextOwners;
    nextOwners = o;
    float[][][] a = data;
    data = nextData;
    nextData = a;
    rows = n;
    count = full + (part > 0 ? 1 : 0);
  }

  /** Gives every chunk back (the cache is empty afterwards). */
  void release() {
    releaseRows();
    rows = 0;
    count = 0;
  }

  /** Drops the current rows' references, giving back the chunks no one else names. */
  private void releaseRows() {
    for (int r = 0; r < rows; r++) {
      KvPool.Chunk[] row = owners[r];
      for (int c = 0; c < count; c++) {
        KvPool.Chunk k = row[c];
        if (--k.refs == 0) {
          pool.release(k);
        }
        row[c] = null;
        data[r][c] = null;
      }
    }
  }

  /** Copies the first {@code part} positions of a chunk: d runs of keys, then part value rows. */
  private void copyFilled(float[] src, float[] dst, int part) {
    for (int j = 0; j < d; j++) {
      System.arraycopy(src, j * CHUNK, dst, j * CHUNK, part);
    }
    System.arraycopy(src, d * CHUNK, dst, d * CHUNK, part * d);
  }

  /** Room for {@code n} rows in both row sets (grown once per larger batch, never per step). */
  private void ensureRows(int n) {
    if (owners.length >= n) {
      return;
    }
    int old = owners.length;
    owners = Arrays.copyOf(owners, n);
    data = Arrays.copyOf(data, n);
    nextOwners = Arrays.copyOf(nextOwners, n);
    nextData = Arrays.copyOf(nextData, n);
    for (int r = old; r < n; r++) {
      owners[r] = new KvPool.Chunk[maxChunks];
      data[r] = new float[maxChunks][];
      nextOwners[r] = new KvPool.Chunk[maxChunks];
      nextData[r] = new float[maxChunks][];
    }
    hasChild = new boolean[n];
  }
}
