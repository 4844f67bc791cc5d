package dev.jnmt.decoder.text;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import dev.jnmt.decoder.io.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A SentencePiece model (.spm) used only to segment text into pieces and to join pieces back, through
 * DJL's JNI binding (the only class that touches DJL).
 *
 * <p>Native library: DJL extracts {@code libsentencepiece_native.so} from its jar into
 * {@code $DJL_CACHE_DIR/sentencepiece/<version>/} (default {@code ~/.djl.ai}, or the temporary directory
 * when the home directory is not writable); {@code -DDJL_CACHE_DIR=...} or {@code -DENGINE_CACHE_DIR=...}
 * (or the environment variables of those names) choose another place. DJL logs through SLF4J: when the
 * application has no SLF4J provider, this class selects SLF4J's no-op provider before DJL starts, so
 * nothing is printed on stderr (an application that ships a provider keeps its own logging).
 *
 * <p>Segmentation is deterministic (no sampling). The processor is immutable once loaded, so calls are
 * thread-safe; {@link #close} must not race with them.
 */
public final class SentencePieceModel implements AutoCloseable {

  static {
    quietLogging();
  }

  private final Path path;
  private final SpTokenizer tokenizer;
  private final SpProcessor processor;

  private SentencePieceModel(Path path, SpTokenizer tokenizer) {
    this.path = path;
    this.tokenizer = tokenizer;
    this.processor = tokenizer.getProcessor();
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
      throw new CheckpointException(path + ": cannot read: " + e.getMessage(), e);
    }
    if (bytes.length == 0) {
      throw new CheckpointException(path + ": empty file, not a SentencePiece model");
    }
    try {
      return new SentencePieceModel(path, new SpTokenizer(bytes));
    } catch (UnsatisfiedLinkError | IllegalStateException | NoClassDefFoundError e) {
      throw new CheckpointException(path + ": cannot load the SentencePiece native library (" + oneLine(e.getMessage()) + "); set -DDJL_CACHE_DIR to a writable directory", e);
    } catch (RuntimeException e) {
      throw new CheckpointException(path + ": not a SentencePiece model (" + oneLine(e.getMessage()) + ")", e);
    }
  }

  public Path path() {
    return path;
  }

  /** The pieces of {@code text} (spm EncodeAsPieces: normalised, whitespace as "▁"). */
  public String[] pieces(String text) {
    return processor.tokenize(text);
  }

  /** spm DecodePieces: joins pieces, "▁" → space, leading space dropped; unknown pieces verbatim. */
  public String decodePieces(List<String> pieces) {
    return processor.buildSentence(pieces.toArray(String[]::new));
  }

  /** The spm id of a piece (the spm unk id when unknown); not the model's vocab.json id. */
  public int spmId(String piece) {
    return processor.getId(piece);
  }

  @Override
  public void close() {
    tokenizer.close();
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
  }

  /**
   * Chooses SLF4J's no-op provider when no provider is on the class path and the application chose
   * none, so that SLF4J's "no providers" notice and DJL's info messages stay off stderr.
   */
  private static void quietLogging() {
    if (System.getProperty("slf4j.provider") != null) {
      return;
    }
    ClassLoader cl = SentencePieceModel.class.getClassLoader();
    boolean hasProvider =
        cl != null && cl.getResource("META-INF/services/org.slf4j.spi.SLF4JServiceProvider") != null;
    if (!hasProvider && cl != null && cl.getResource("org/slf4j/helpers/NOP_FallbackServiceProvider.class") != null) {
      System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
      if (System.getProperty("slf4j.internal.verbosity") == null) {
        System.setProperty("slf4j.internal.verbosity", "WARN");
      }
    }
  }
}
