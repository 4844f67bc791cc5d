package dev.jnmt.decoder.model;

/**
 * A dense (linear) layer {@code y = x·Wᵀ + b}, with W stored as Hugging Face stores it: [out × in],
 * row-major. Every projection of the model (attention q/k/v/out, fc1, fc2, the output layer) goes
 * through this interface, so that quantized variants are new implementations and nothing else changes.
 *
 * <p>Contract for every implementation:
 *
 * <ul>
 *   <li>{@code x} is [rows × in] and {@code y} is [rows × out], both row-major and densely packed;
 *   <li>a row's result depends only on that row of x and on the weights, not on {@code rows} nor on the
 *       other rows, so a sentence translates identically alone and inside any mini-batch;
 *   <li>instances are immutable after construction and safe to share between threads.
 * </ul>
 */
public sealed interface Dense permits Float32Dense, QuantizedDense, ObservedDense {

  /** Input features (columns of W). */
  int inFeatures();

  /** Output features (rows of W). */
  int outFeatures();

  /** The arithmetic this layer uses. */
  GemmPrecision precision();

  /**
   * Computes {@code y[r] = x[r]·Wᵀ + b} for r in [0, rows).
   *
   * @param x [rows × in] row-major; only the first rows·in elements are read
   * @param y [rows × out] row-major; the first rows·out elements are overwritten
   */
  void forward(float[] x, int rows, float[] y);

  /**
   * A layer computing only the output features {@code columns}, in list order (repeats allowed): output
   * column i of the result is, bit for bit, output column {@code columns[i]} of this layer (a lexical
   * shortlist of the output layer). The result shares nothing mutable with this layer.
   *
   * @param columns each in [0, outFeatures()); at least one
   * @throws IllegalArgumentException for an empty list or a column outside the layer
   */
  Dense select(int[] columns);

  /** Checks a {@link #select} list against {@code out} features; returns it. */
  static int[] checkColumns(int[] columns, int out) {
    if (columns.length == 0) {
      throw new IllegalArgumentException("select: the column list is empty");
    }
    for (int i = 0; i < columns.length; i++) {
      if (columns[i] < 0 || columns[i] >= out) {
        throw new IllegalArgumentException(
            "select: column " + columns[i] + " at position " + i + " is outside the layer's " + out + " outputs");
      }
    }
    return columns;
  }

  /** {@code values[columns[i]]} for every i, or null when values is null. */
  static float[] gather(float[] values, int[] columns) {
    if (values == null) {
      return null;
    }
    float[] out = new float[columns.length];
    for (int i = 0; i < columns.length; i++) {
      out[i] = values[columns[i]];
    }
    return out;
  }

  /**
   * Builds a layer of the given precision from float32 weights; the integer precisions quantize them
   * with the matrix's largest magnitude and scale activations per row ({@link QuantizedDense}).
   *
   * @param weight [out × in] row-major (the HF Linear layout); not kept (float32 packs it, the integer
   *     precisions quantize it)
   * @param bias [out], or null for no bias
   */
  static Dense create(
      GemmPrecision precision, float[] weight, int out, int in, float[] bias) {
    return switch (precision) {
      case FLOAT32 -> new Float32Dense(weight, out, in, bias);
      case INT16, INT8, INT8_SHIFT ->
          QuantizedDense.fromFloat(precision, weight, out, in, bias, Float.NaN, Float.NaN);
    };
  }
}
