package dev.jnmt.decoder.io;

import dev.jnmt.decoder.base.CheckpointException;

/**
 * Named tensors of a loaded checkpoint. Names are Hugging Face MarianMT names without the optional
 * {@code model.} prefix (e.g. {@code encoder.layers.0.fc1.weight}, {@code shared.weight},
 * {@code final_logits_bias}); implementations resolve the tied-embedding rules and convert F16/BF16 to F32.
 */
public interface TensorSource extends AutoCloseable {

  /** Whether the checkpoint holds this tensor (after resolving ties and the prefix). */
  boolean contains(String name);

  /** Every name {@link #contains} accepts. */
  java.util.Set<String> names();

  /**
   * The tensor as row-major float32, checked against the expected shape.
   *
   * @throws CheckpointException naming the file and tensor when it is missing, has another shape or an
   *     unsupported dtype
   */
  float[] floats(String name, long... expectedShape);

  /** The stored shape of a tensor. */
  long[] shape(String name);

  /** The stored header entry behind a name (its {@code name()} is the key as stored). */
  TensorInfo info(String name);

  /**
   * An I8 tensor's values (the quantized weights of an int8 checkpoint), checked against the shape.
   *
   * @throws CheckpointException naming the file and tensor for another dtype or shape
   */
  byte[] bytes(String name, long... expectedShape);

  /** An I16 tensor's values, checked against the shape; see {@link #bytes}. */
  short[] shorts(String name, long... expectedShape);

  /**
   * Where a tensor is stored, for error messages: its file, or the checkpoint itself when the name is
   * not stored (or empty).
   */
  default String location(String name) {
    return toString();
  }

  /** Where {@link #metadata()} is stored (the first weights file), for error messages. */
  default String metadataLocation() {
    return toString();
  }

  /** The {@code __metadata__} of the (first) weights file. */
  java.util.Map<String, String> metadata();

  @Override
  void close();
}
