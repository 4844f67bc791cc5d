package dev.jnmt.decoder.text;

import ai.djl.sentencepiece.jni.SentencePieceLibrary;
import dev.jnmt.decoder.base.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A SentencePiece model (.spm) used only to segment text into pieces and to join pieces back, through
 * the JNI binding bundled in {@code ai.djl.sentencepiece} (loaded by {@link SentencePieceNative}; see
 * there for {@code -DDJL_CACHE_DIR}). This and SentencePieceNative are the only classes that touch DJL.
 *
 * <p>Segmentation is deterministic (no sampling). A loaded processor is only read, so calls are
 * thread-safe; {@link #close} frees it and must not race with them.
 */
public final class SentencePieceModel implements AutoCloseable {

  private final Path path;
  private final SentencePieceLibrary lib;
  private volatile long handle;

  private SentencePieceModel(Path path, SentencePieceLibrary lib, long handle) {
    this.path = path;
    this.lib = lib;
    this.handle = handle;
  }

  /**
   * Loads a SentencePiece model file.
   *
   * @throws CheckpointException naming the file when it is missing or not a SentencePiece model, or
   *     when the native library cannot be loaded
   */
  public static SentencePieceModel load(Path path) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new CheckpointException(path + ": no such file");
    } catch (IOException e) {
      throw new CheckpointException(path + ": cannot read: " + oneLine(e.getMessage()), e);
    }
    if (bytes.length == 0) {
      throw new CheckpointException(path + ": empty file, not a SentencePiece model");
    }
    try {
      SentencePieceNative.ensureLoaded();
    } catch (CheckpointException e) {
      throw new CheckpointException(path + ": " + e.getMessage(), e.getCause());
    }
    SentencePieceLibrary lib = SentencePieceLibrary.LIB;
    long handle = lib.createSentencePieceProcessor();
    try {
      lib.loadModelFromBytes(handle, bytes);
    } catch (RuntimeException e) {
      lib.deleteSentencePieceProcessor(handle);
      throw new CheckpointException(path + ": not a SentencePiece model (" + oneLine(e.getMessage()) + ")", e);
    }
    return new SentencePieceModel(path, lib, handle);
  }

  public Path path() {
    return path;
  }

  private long handle() {
    long h = handle;
    if (h == 0) {
      throw new IllegalStateException(path + ": SentencePiece model used after close");
    }
    return h;
  }

  /** The pieces of {@code text} (spm EncodeAsPieces: normalised, whitespace as "▁"). */
  public String[] pieces(String text) {
    return lib.tokenize(handle(), text);
  }

  /** spm DecodePieces: joins pieces, "▁" → space, leading space dropped; unknown pieces verbatim. */
  public String decodePieces(List<String> pieces) {
    return lib.detokenize(handle(), pieces.toArray(String[]::new));
  }


  @Override
  public synchronized void close() {
    long h = handle;
    if (h != 0) {
      handle = 0;
      lib.deleteSentencePieceProcessor(h);
    }
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }
}
