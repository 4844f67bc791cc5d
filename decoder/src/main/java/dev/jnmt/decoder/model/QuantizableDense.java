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
public sealed interface QuantizableDense permits Float32Dense, QuantizedDense, ObservedDense {

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
   * Builds a layer of the given precision from float32 weights; the integer precisions quantize them
   * with the matrix's largest magnitude and scale activations per row ({@link QuantizedDense}).
   *
   * @param weight [out × in] row-major (the HF Linear layout); float32 keeps it by reference, the
   *     integer precisions do not keep it
   * @param bias [out], or null for no bias
   */
  static QuantizableDense create(
      GemmPrecision precision, float[] weight, int out, int in, float[] bias) {
    return switch (precision) {
      case FLOAT32 -> new Float32Dense(weight, out, in, bias);
      case INT16, INT8, INT8_SHIFT ->
          QuantizedDense.fromFloat(precision, weight, out, in, bias, Float.NaN, Float.NaN);
    };
  }
}
