package dev.jnmt.decoder.io;

/**
 * Named tensors of a loaded checkpoint. Names are Hugging Face MarianMT names without the optional
 * {@code model.} prefix (e.g. {@code encoder.layers.0.fc1.weight}, {@code shared.weight},
 * {@code final_logits_bias}); implementations resolve the tied-embedding rules and convert F16/BF16 to F32.
 */
public interface TensorSource extends AutoCloseable {

  /** Whether the checkpoint holds this tensor (after resolving ties and the prefix). */
  boolean contains(String name);

  /**
   * The tensor as row-major float32, checked against the expected shape.
   *
   * @throws CheckpointException naming the file and tensor when it is missing, has another shape or an
   *     unsupported dtype
   */
  float[] floats(String name, long... expectedShape);

  /** The stored shape of a tensor. */
  long[] shape(String name);

  @Override
  void close();
}
