package dev.jnmt.decoder.model;

import java.lang.ref.SoftReference;
import java.util.Arrays;

/**
 * The chunks of the decoder's self-attention caches ({@link KvCache}), shared by every session of one
 * model and every thread: a chunk a session no longer uses goes back here and the next one that needs a
 * chunk takes it, so decoding allocates no cache memory once the pool holds the largest number of chunks
 * in use at once. The free chunks are held through a soft reference, so they never cost the heap a
 * translation needs: under memory pressure the collector takes them all (before any OutOfMemoryError), and
 * the pool starts again empty. Thread-safe.
 */
final class KvPool {

  /** One chunk's floats and how many cache rows refer to it (kept by the session that holds it). */
  static final class Chunk {
    final float[] data;
    int refs;

    private Chunk(int floats) {
      data = new float[floats];
    }
  }

  /** A stack of free chunks (reached through {@link #free} only). */
  private static final class Free {
    Chunk[] items = new Chunk[64];
    int n;
  }

  private final int floats;
  private SoftReference<Free> free = new SoftReference<>(null);
  private long created;

  /** A pool of chunks of {@code floats} floats each. */
  KvPool(int floats) {
    this.floats = floats;
  }

  /** Floats per chunk. */
  int chunkFloats() {
    return floats;
  }

  /** A free chunk, or a new one (its contents are undefined), with one reference. */
  synchronized Chunk acquire() {
    Free f = free.get();
    Chunk c;
    if (f != null && f.n > 0) {
      c = f.items[--f.n];
      f.items[f.n] = null;
    } else {
      c = new Chunk(floats);
      created++;
    }
    c.refs = 1;
    return c;
  }

  /** Returns a chunk no row refers to any more. */
  synchronized void release(Chunk c) {
    if (c.refs != 0) {
      throw new IllegalStateException("releasing a chunk with " + c.refs + " references");
    }
    Free f = free.get();
    if (f == null) {
      f = new Free();
      free = new SoftReference<>(f);
    }
    if (f.n == f.items.length) {
      f.items = Arrays.copyOf(f.items, 2 * f.n);
    }
    f.items[f.n++] = c;
  }

  /** Chunks this pool has made (for tests and measurements). */
  synchronized long created() {
    return created;
  }

  /** Free chunks held now (for tests and measurements). */
  synchronized int freeChunks() {
    Free f = free.get();
    return f == null ? 0 : f.n;
  }
}
