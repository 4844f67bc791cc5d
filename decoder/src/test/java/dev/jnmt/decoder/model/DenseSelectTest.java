package dev.jnmt.decoder.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Dense#select}: every output column of a selected layer is, bit for bit, the full layer's output
 * at that column, for every precision and scaling mode, odd shapes (padding), repeated and unordered
 * columns, and selections smaller and larger than one intgemm panel. Runs at every vector width (the
 * suite's width executions).
 */
class DenseSelectTest {

  /** Layers of a precision over the same float weights: dynamic rows, static activations, no bias. */
  private static List<Dense> layers(GemmPrecision p, float[] w, int out, int in, float[] bias) {
    List<Dense> all = new ArrayList<>();
    all.add(Dense.create(p, w, out, in, bias));
    all.add(Dense.create(p, w, out, in, null));
    if (p.is8Bit()) {
      all.add(QuantizedDense.fromFloat(p, w, out, in, bias, Float.NaN, 9f));
    }
    all.add(new ObservedDense("observed", Dense.create(p, w, out, in, bias), (layer, x, rows, n) -> {}));
    return all;
  }

  @ParameterizedTest
  @EnumSource(GemmPrecision.class)
  void selectedColumnsEqualTheFullLayerBitForBit(GemmPrecision p) {
    SplittableRandom r = new SplittableRandom(41 + p.ordinal());
    for (int[] shape : new int[][] {{37, 70}, {64, 64}, {203, 129}}) {
      int out = shape[0];
      int in = shape[1];
      float[] w = QuantizedDenseTest.gaussian(r, out * in, 0.08);
      float[] bias = QuantizedDenseTest.gaussian(r, out, 0.2);
      int rows = 7;
      float[] x = QuantizedDenseTest.gaussian(r, rows * in, 1.0);
      x[3 * in + 5] = 30f; // a loud row
      int[][] selections = {
        {0}, {out - 1, 0, out / 2}, {5, 5, 5, 2, 9, 1, 0, 3, 7}, everyOther(out), all(out), random(r, out, 2 * out + 3)
      };
      for (Dense full : layers(p, w, out, in, bias)) {
        float[] y = new float[rows * out];
        full.forward(x, rows, y);
        for (int[] cols : selections) {
          Dense s = full.select(cols);
          assertEquals(cols.length, s.outFeatures());
          assertEquals(in, s.inFeatures());
          assertEquals(p, s.precision());
          float[] ys = new float[rows * cols.length];
          s.forward(x, rows, ys);
          for (int row = 0; row < rows; row++) {
            for (int i = 0; i < cols.length; i++) {
              float want = y[row * out + cols[i]];
              float got = ys[row * cols.length + i];
              assertEquals(
                  Float.floatToRawIntBits(want), Float.floatToRawIntBits(got),
                  full + " " + out + "×" + in + " row " + row + " column " + cols[i] + ": " + got + " vs " + want);
            }
          }
        }
      }
    }
  }

  @Test
  void badSelectionsAreRefused() {
    Dense d = Dense.create(GemmPrecision.FLOAT32, new float[8 * 4], 8, 4, null);
    Dense q = Dense.create(GemmPrecision.INT8, new float[8 * 64], 8, 64, null);
    for (Dense layer : new Dense[] {d, q}) {
      assertThrows(IllegalArgumentException.class, () -> layer.select(new int[0]));
      assertThrows(IllegalArgumentException.class, () -> layer.select(new int[] {8}));
      assertThrows(IllegalArgumentException.class, () -> layer.select(new int[] {-1}));
    }
  }

  private static int[] all(int n) {
    int[] c = new int[n];
    for (int i = 0; i < n; i++) {
      c[i] = i;
    }
    return c;
  }

  private static int[] everyOther(int n) {
    int[] c = new int[(n + 1) / 2];
    for (int i = 0; i < c.length; i++) {
      c[i] = 2 * i;
    }
    return c;
  }

  private static int[] random(SplittableRandom r, int n, int count) {
    int[] c = new int[count];
    for (int i = 0; i < count; i++) {
      c[i] = r.nextInt(n);
    }
    return c;
  }
}
