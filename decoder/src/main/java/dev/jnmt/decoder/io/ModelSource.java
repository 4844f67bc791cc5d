package dev.jnmt.decoder.io;

import dev.jnmt.decoder.config.GenerationConfig;
import dev.jnmt.decoder.config.MarianConfig;
import dev.jnmt.decoder.text.Tokenizer;
import java.nio.file.Path;

/**
 * Everything a translator is built from: the architecture, the generation settings, the named tensors
 * (HF MarianMT names, {@link MarianNames}) and the tokenizer. A new checkpoint format is one new
 * implementation of this interface; {@link MarianCheckpoint} reads Hugging Face directories.
 *
 * <p>The tensors stay valid until {@link #close}; the model copies what it needs at load, so a source can
 * be closed as soon as the translator is built.
 */
public interface ModelSource extends AutoCloseable {

  /** The architecture (config.json). */
  MarianConfig config();

  /** The model's generation settings (generation_config.json, else config.json). */
  GenerationConfig generationConfig();

  /** The weights. */
  TensorSource tensors();

  /**
   * Opens the tokenizer, checked against {@link #config()}; the caller owns it (closes it).
   *
   * @throws dev.jnmt.decoder.base.CheckpointException naming the file when it is missing or inconsistent
   */
  Tokenizer openTokenizer();

  /** Releases the tensors. */
  @Override
  void close();

  /** A Hugging Face MarianMT directory ({@link MarianCheckpoint#open}). */
  static ModelSource directory(Path directory) {
    return MarianCheckpoint.open(directory);
  }
}
