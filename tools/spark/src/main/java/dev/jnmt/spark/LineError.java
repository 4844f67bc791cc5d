package dev.jnmt.spark;

/**
 * A task failure tied to one input line. Tasks know the line's byte offset, not its number (a split
 * does not know how many lines precede it); the driver turns the offset into a line number.
 */
public final class LineError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final long offset;
  private final String reason;

  public LineError(String file, long offset, String reason, Throwable cause) {
    super(file + " at byte " + offset + ": " + reason, cause);
    this.file = file;
    this.offset = offset;
    this.reason = reason;
  }

  public String file() {
    return file;
  }

  public long offset() {
    return offset;
  }

  public String reason() {
    return reason;
  }
}
