package dev.jnmt.tools;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Standard input and output for every subcommand, with errors that are never swallowed.
 *
 * <p>{@link System#out} is a {@link PrintStream}, which hides write errors (a full disk, {@code
 * /dev/full}, a closed pipe). Data written through {@link #stdout()} goes to file descriptor 1
 * directly (from {@link Main#main}) or to {@code System.out} (tests, which replace it), and the first
 * failure becomes a {@link StdoutException} naming the reason; a closed pipe (EPIPE) is marked so that
 * {@link Main} exits quietly with 141, as a program killed by SIGPIPE.
 */
final class StdStreams {

  /** Set by {@link Main#main}: write to descriptor 1 itself rather than through System.out. */
  static volatile boolean useDescriptors;

  /** The environment variable the launcher sets when it found descriptor 0 closed. */
  static final String STDIN_CLOSED_ENV = "JNMT_STDIN_CLOSED";

  private StdStreams() {}

  /** A failed write to standard output. */
  static final class StdoutException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean brokenPipe;

    StdoutException(IOException cause) {
      super("cannot write to standard output: " + reason(cause), cause);
      this.brokenPipe = isBrokenPipe(cause);
    }

    /** The reader went away (EPIPE): stop quietly. */
    boolean brokenPipe() {
      return brokenPipe;
    }

    private static String reason(IOException e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }

  static boolean isBrokenPipe(Throwable e) {
    return e.getMessage() != null && e.getMessage().contains("Broken pipe");
  }

  /**
   * Standard output as a stream that throws on the first failed write (and on every later one);
   * closing it only flushes.
   */
  static OutputStream stdout() {
    return new Checked();
  }

  /** A PrintWriter-based command calls this after its last print: throws what the stream hid. */
  static void check(PrintWriter out) throws StdoutException {
    out.flush();
    if (out.checkError()) {
      StdoutException e = last;
      throw e != null ? e : new StdoutException(new IOException("write error"));
    }
  }

  private static volatile StdoutException last;

  private static final class Checked extends OutputStream {
    private OutputStream out;
    private StdoutException failed;

    /** Resolved at the first write, so that a test's System.setOut after creation is honoured. */
    private OutputStream target() {
      if (out == null) {
        out = useDescriptors ? new FileOutputStream(FileDescriptor.out) : System.out;
      }
      return out;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (failed != null) {
        throw failed;
      }
      try {
        OutputStream out = target();
        out.write(b, off, len);
        if (out instanceof PrintStream ps && ps.checkError()) {
          throw new IOException("write error");
        }
      } catch (IOException e) {
        throw fail(e);
      }
    }

    @Override
    public void flush() throws IOException {
      if (failed != null) {
        throw failed;
      }
      try {
        OutputStream out = target();
        out.flush();
        if (out instanceof PrintStream ps && ps.checkError()) {
          throw new IOException("write error");
        }
      } catch (IOException e) {
        throw fail(e);
      }
    }

    private StdoutException fail(IOException e) {
      failed = e instanceof StdoutException s ? s : new StdoutException(e);
      last = failed;
      return failed;
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /**
   * Standard input, never closed by its reader. Refused when descriptor 0 was closed when jnmt
   * started: the launcher says so in {@link #STDIN_CLOSED_ENV}; with {@code java -jar} the JVM reuses
   * descriptor 0 for one of its own files (its {@code lib/modules}), which is recognised too.
   */
  static InputStream stdin() throws IOException {
    if (stdinClosed()) {
      throw new IOException("standard input is not open (started with <&-): give -i FILE or redirect it");
    }
    InputStream in = useDescriptors ? new FileInputStream(FileDescriptor.in) : System.in;
    return new java.io.FilterInputStream(in) {
      @Override
      public void close() {}
    };
  }

  static boolean stdinClosed() {
    if (!useDescriptors) {
      return false;
    }
    if ("1".equals(System.getenv(STDIN_CLOSED_ENV))) {
      return true;
    }
    try {
      Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
      Path home = Path.of(System.getProperty("java.home")).toRealPath();
      return target.startsWith(home) || target.toString().endsWith("/lib/modules");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
