package dev.jnmt.intgemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** intgemm's Prepare, PrepareBTransposed, PrepareBQuantizedTransposed and SelectColumnsB cases. */
class PrepareBTest {

  @Test
  void allInputFormsGiveTheSamePreparedB8() {
    SplittableRandom rnd = new SplittableRandom(40);
    int[][] shapes = {{64, 32}, {64, 8}, {128, 48}, {256, 256}};
    for (int[] s : shapes) {
      int k = s[0], n = s[1];
      float[] b = Reference.uniform(rnd, k * n, -129, 129);
      b[5] = Float.NaN;
      b[6] = Float.POSITIVE_INFINITY;
      float[] bt = Reference.transpose(b, k, n);
      PreparedB fromRows = Int8.prepareB(b, 1f, k, n);
      PreparedB fromTransposed = Int8.prepareBTransposed(bt, 1f, k, n);
      byte[] q = new byte[k * n];
      Int8.quantize(bt, 0, q, 0, k * n, 1f);
      PreparedB fromQuantized = Int8.prepareBQuantizedTransposed(q, k, n);
      assertEquals(fromRows, fromTransposed);
      assertEquals(fromRows, fromQuantized);
      assertEquals(fromRows, Int8Shift.prepareB(b, 1f, k, n));
      assertArrayEquals(q, fromRows.quantizedTransposedBytes());
      int[] want = Reference.quantize8(b, 1f);
      for (int kk = 0; kk < k; kk++) {
        for (int nn = 0; nn < n; nn++) {
          assertEquals(want[kk * n + nn], fromRows.quantized(kk, nn));
        }
      }
    }
  }

  @Test
  void allInputFormsGiveTheSamePreparedB16() {
    SplittableRandom rnd = new SplittableRandom(41);
    int k = 96, n = 24;
    float[] b = Reference.uniform(rnd, k * n, -40, 40);
    float[] bt = Reference.transpose(b, k, n);
    PreparedB fromRows = Int16.prepareB(b, 1024f, k, n);
    short[] q = new short[k * n];
    Int16.quantize(bt, 0, q, 0, k * n, 1024f);
    assertEquals(fromRows, Int16.prepareBTransposed(bt, 1024f, k, n));
    assertEquals(fromRows, Int16.prepareBQuantizedTransposed(q, k, n));
    assertArrayEquals(q, fromRows.quantizedTransposedShorts());
    assertNotEquals(fromRows, Int16.prepareB(b, 1000f, k, n));
  }

  @Test
  void quantizedTransposedWithOffset() {
    byte[] q = new byte[3 + 64 * 8];
    for (int i = 3; i < q.length; i++) {
      q[i] = (byte) ((i * 37) % 255 - 127);
    }
    PreparedB withOffset = Int8.prepareBQuantizedTransposed(q, 3, 64, 8);
    PreparedB copied = Int8.prepareBQuantizedTransposed(java.util.Arrays.copyOfRange(q, 3, q.length), 64, 8);
    assertEquals(copied, withOffset);
  }

  @Test
  void selectColumnsEqualsSelectThenPrepare() {
    SplittableRandom rnd = new SplittableRandom(42);
    int k = 256, n = 256;
    float[] b = Reference.uniform(rnd, k * n, -1, 1);
    int[] cols = new int[24];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = rnd.nextInt(n);
    }
    cols[3] = cols[4];
    float[] selected = new float[k * cols.length];
    for (int kk = 0; kk < k; kk++) {
      for (int i = 0; i < cols.length; i++) {
        selected[kk * cols.length + i] = b[kk * n + cols[i]];
      }
    }
    assertEquals(Int8.prepareB(selected, 64f, k, cols.length), Int8.selectColumnsB(Int8.prepareB(b, 64f, k, n), cols));
    assertEquals(
        Int8Shift.prepareB(selected, 64f, k, cols.length),
        Int8Shift.selectColumnsB(Int8Shift.prepareB(b, 64f, k, n), cols));
    assertEquals(
        Int16.prepareB(selected, 1024f, k, cols.length), Int16.selectColumnsB(Int16.prepareB(b, 1024f, k, n), cols));
    int[] padded = new int[cols.length + 5];
    System.arraycopy(cols, 0, padded, 2, cols.length);
    assertEquals(
        Int8.selectColumnsB(Int8.prepareB(b, 64f, k, n), cols),
        Int8.selectColumnsB(Int8.prepareB(b, 64f, k, n), padded, 2, 2 + cols.length));
  }

  @Test
  void selectedColumnsMultiplyLikeTheFullMatrix() {
    SplittableRandom rnd = new SplittableRandom(43);
    int m = 3, k = 128, n = 64;
    float[] a = Reference.uniform(rnd, m * k, -1, 1);
    float[] b = Reference.uniform(rnd, k * n, -1, 1);
    PreparedB full = Int8Shift.prepareB(b, 64f, k, n);
    int[] cols = {5, 63, 0, 17, 17, 40, 2, 9};
    PreparedA pa = Int8Shift.prepareA(a, 64f, m, k);
    int[] all = new int[m * n];
    int[] some = new int[m * cols.length];
    Int8Shift.multiply(pa, full, new Epilogue.WriteInt32(all));
    Int8Shift.multiply(pa, Int8Shift.selectColumnsB(full, cols), new Epilogue.WriteInt32(some));
    for (int r = 0; r < m; r++) {
      for (int i = 0; i < cols.length; i++) {
        assertEquals(all[r * n + cols[i]], some[r * cols.length + i]);
      }
    }
  }
}
