package dev.jnmt.decoder.shortlist;

/** A shortlist file or specification is unusable; the message is one line naming the file (and line). */
public final class ShortlistException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ShortlistException(String message) {
    super(message);
  }

  public ShortlistException(String message, Throwable cause) {
    super(message, cause);
  }
}
