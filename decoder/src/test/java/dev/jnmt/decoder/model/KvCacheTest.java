package dev.jnmt.decoder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KvCacheTest {

  private static final int C = KvCache.CHUNK;

  /**
   * Random reorders (children of one parent, dropped rows, rows growing and shrinking in number) over
   * several chunks, against a reference that copies every row's history: each row keeps exactly its
   * parent's keys and values however chunks are shared, and writing a row's next position never changes
   * another row's. At the end every chunk is back in the pool.
   */
  @Test
  void reordersKeepEveryRowsHistory() {
    SplittableRandom r = new SplittableRandom(3);
    int d = 3;
    KvPool pool = new KvPool(KvCache.chunkFloats(d));
    for (int trial = 0; trial < 50; trial++) {
      int rows = 1 + r.nextInt(4);
      int positions = 5 + r.nextInt(3 * C);
      KvCache cache = new KvCache(rows, d, positions, pool);
      List<List<float[]>> ref = new ArrayList<>(); // per row, per position: key (d) then value (d)
      for (int i = 0; i < rows; i++) {
        ref.add(new ArrayList<>());
      }
      for (int p = 0; p < positions; p++) {
        cache.ensureCapacity(p + 1);
        for (int i = 0; i < rows; i++) {
          float[] kv = new float[2 * d];
          for (int c = 0; c < 2 * d; c++) {
            kv[c] = r.nextInt(1000);
          }
          cache.put(i, p, kv, 0, kv, d);
          ref.get(i).add(kv);
        }
        int newRows = 1 + r.nextInt(6);
        int[] parents = new int[newRows];
        for (int i = 0; i < newRows; i++) {
          parents[i] = r.nextInt(rows);
        }
        cache.reorder(parents, p + 1);
        List<List<float[]>> next = new ArrayList<>();
        for (int par : parents) {
          next.add(new ArrayList<>(ref.get(par)));
        }
        ref = next;
        rows = newRows;
        assertEquals(rows, cache.rows());
        assertTrue(cache.capacity() >= p + 1 && cache.capacity() < p + 1 + C, "capacity " + cache.capacity());
        for (int i = 0; i < rows; i++) {
          for (int q = 0; q <= p; q++) {
            float[] kv = ref.get(i).get(q);
            float[] chunk = cache.chunks(i)[q / C];
            for (int c = 0; c < d; c++) {
              String at = "trial " + trial + " row " + i + " pos " + q;
              assertEquals(kv[c], chunk[c * C + q % C], at);
              assertEquals(kv[d + c], chunk[KvCache.valuesOffset(d) + q % C * d + c], at);
            }
          }
        }
      }
      cache.release();
      assertEquals(pool.created(), pool.freeChunks(), "trial " + trial + ": every chunk back in the pool");
    }
  }

  /**
   * Beams that descend from one row share its full chunks: four rows that all continue row 0 hold one
   * copy of the first chunk, and only the chunk being filled is copied per child.
   */
  @Test
  void childrenShareFullChunks() {
    int d = 4;
    KvPool pool = new KvPool(KvCache.chunkFloats(d));
    KvCache cache = new KvCache(1, d, 4 * C, pool);
    float[] kv = new float[2 * d];
    for (int p = 0; p < C + 3; p++) {
      cache.ensureCapacity(p + 1);
      cache.put(0, p, kv, 0, kv, d);
    }
    assertEquals(2, pool.created());
    cache.reorder(new int[] {0, 0, 0, 0}, C + 3);
    assertEquals(5, pool.created(), "one shared full chunk, four chunks being filled");
    for (int i = 1; i < 4; i++) {
      assertTrue(cache.chunks(i)[0] == cache.chunks(0)[0], "row " + i + " shares the full chunk");
      assertTrue(cache.chunks(i)[1] != cache.chunks(0)[1], "row " + i + " has its own chunk being filled");
    }
    cache.reorder(new int[] {2}, C + 3);
    assertEquals(3, pool.freeChunks(), "the dropped rows' chunks are back at once");
    cache.release();
    assertEquals(5, pool.freeChunks());
    KvCache again = new KvCache(2, d, 4 * C, pool);
    again.ensureCapacity(2 * C);
    assertEquals(5, pool.created(), "a later session takes the pool's chunks");
    again.release();
  }
}
