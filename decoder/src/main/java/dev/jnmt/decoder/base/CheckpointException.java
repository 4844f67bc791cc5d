package dev.jnmt.decoder.base;

/** A checkpoint file is unreadable or inconsistent; the message is one line naming file and tensor. */
public class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
