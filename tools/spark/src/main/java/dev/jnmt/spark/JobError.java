package dev.jnmt.spark;

/**
 * A failure with a one-line message for the user (which file, which line, which option), raised on the
 * driver or inside a task; the driver prints only its message, the full trace goes to the log.
 */
public final class JobError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JobError(String message) {
    super(message);
  }

  public JobError(String message, Throwable cause) {
    super(message, cause);
  }
}
