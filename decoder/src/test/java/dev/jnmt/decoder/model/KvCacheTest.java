package dev.jnmt.decoder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KvCacheTest {

  /**
   * Random reorders (children of one parent, dropped rows, rows growing and shrinking in number) and
   * growth of the capacity, against a reference that copies every row's history: each row keeps exactly
   * its parent's keys and values, however the arrays are reused.
   */
  @Test
  void reordersKeepEveryRowsHistory() {
    SplittableRandom r = new SplittableRandom(3);
    int d = 3;
    for (int trial = 0; trial < 50; trial++) {
      int rows = 1 + r.nextInt(4);
      KvCache cache = new KvCache(rows, d, 1 + r.nextInt(3));
      List<List<float[]>> ref = new ArrayList<>(); // per row, per position: key (d) then value (d)
      for (int i = 0; i < rows; i++) {
        ref.add(new ArrayList<>());
      }
      for (int p = 0; p < 40; p++) {
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
        int cap = cache.capacity();
        for (int i = 0; i < rows; i++) {
          for (int q = 0; q <= p; q++) {
            float[] kv = ref.get(i).get(q);
            for (int c = 0; c < d; c++) {
              assertEquals(kv[c], cache.keys(i)[c * cap + q], "trial " + trial + " row " + i + " pos " + q);
              assertEquals(kv[d + c], cache.values(i)[q * d + c], "trial " + trial + " row " + i + " pos " + q);
            }
          }
        }
      }
    }
  }
}
