package dev.jnmt.tools;

import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The {@code -o FILE} of {@code jnmt translate}.
 *
 * <p>A regular file (new or existing, or the file a symlink points to) is written to a temporary file
 * {@code .NAME.jnmt-PID-N.tmp} in its directory, synced, then renamed over it: a failure or a signal
 * leaves the old file as it was. The temporary file is removed on failure and on SIGINT/SIGTERM (a
 * shutdown hook); one left by a killed run (SIGKILL, power loss) is removed by the next run writing the
 * same file, once no live process has its PID. A FIFO, a character device or anything under
 * {@code /dev} or {@code /proc} is written through and never replaced. Everything is checked before
 * any translation starts.
 */
final class TranslateOutput {

  /** The body that fills the file. */
  interface Body<T> {
    T write(Writer w) throws IOException;
  }

  /** Where the output goes: {@code file} is what gets replaced, or written through when special. */
  record Target(Path given, Path file, boolean special) {}

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

  private TranslateOutput() {}

  /** The reason of a file-system exception, as the C library words it where Java gives none. */
  static String reason(IOException e) {
    if (e instanceof FileSystemException f) {
      if (f.getReason() != null) {
        return f.getReason();
      }
      if (e instanceof AccessDeniedException) {
        return "Permission denied";
      }
      if (e instanceof NoSuchFileException) {
        return "No such file or directory";
      }
      return e.getClass().getSimpleName();
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /** Checks an output path before any work: names the path and the reason when it cannot be written. */
  static Target check(Path target) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    if (Files.isDirectory(abs)) {
      throw new IOException(target + " (output): is a directory");
    }
    if (Files.exists(abs) && !Files.isRegularFile(abs)
        || abs.startsWith("/dev/") || abs.startsWith("/proc/")) {
      if (!Files.isWritable(abs)) {
        throw new IOException(target + " (output): Permission denied");
      }
      return new Target(target, abs, true);
    }
    Path file = abs;
    if (Files.isSymbolicLink(abs)) {
      if (!Files.exists(abs)) {
        throw new IOException(target + " (output): a symbolic link to a missing file ("
            + Files.readSymbolicLink(abs) + ")");
      }
      file = abs.toRealPath(); // replace the file the link points to, keep the link
    }
    Path dir = file.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException(target + " (output): the directory " + dir + " does not exist");
    }
    if (!Files.isWritable(dir)) {
      throw new IOException(target + " (output): cannot create files in " + dir + ": Permission denied");
    }
    if (Files.exists(file) && !Files.isWritable(file)) {
      throw new IOException(target + " (output): Permission denied (the file is read-only)");
    }
    return new Target(target, file, false);
  }

  /** Whether the output is the file open as standard input ({@code -o in.txt < in.txt}). */
  static boolean isStandardInput(Target t) {
    if (!Files.exists(t.file())) {
      return false;
    }
    try {
      Object stdin = Files.readAttributes(Path.of("/proc/self/fd/0"), BasicFileAttributes.class).fileKey();
      Object out = Files.readAttributes(t.file(), BasicFileAttributes.class).fileKey();
      return stdin != null && stdin.equals(out);
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static String tempPrefix(Path file) {
    return "." + file.getFileName() + ".jnmt-";
  }

  /**
   * Removes temporary files of {@code file} left by runs that were killed (their PID is not alive) and
   * says so on {@code err}.
   */
  static void removeStale(Target t, PrintWriter err) {
    if (t.special()) {
      return;
    }
    String prefix = tempPrefix(t.file());
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(t.file().getParent(), prefix + "*.tmp")) {
      for (Path p : ds) {
        String rest = p.getFileName().toString().substring(prefix.length());
        int dash = rest.indexOf('-');
        if (dash <= 0) {
          continue;
        }
        long pid;
        try {
          pid = Long.parseLong(rest.substring(0, dash));
        } catch (NumberFormatException e) {
          continue;
        }
        if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue; // another jnmt is writing the same file right now
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(p)) {
          err.println("jnmt translate: removed " + p + ", left by a run that was killed (PID " + pid + ")");
          err.flush();
        }
      }
    } catch (IOException e) {
      // an unreadable directory: nothing to clean, the write itself will report
    }
  }

  /** createTempFile makes the file private (rw-------): give it the target's mode, or rw-r--r--. */
  private static void permissions(Path tmp, Path target) {
    try {
      Set<PosixFilePermission> mode =
          Files.exists(target)
              ? Files.getPosixFilePermissions(target)
              : PosixFilePermissions.fromString("rw-r--r--");
      Files.setPosixFilePermissions(tmp, mode);
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system, or not our file: keep the default mode.
    }
  }

  /** Write errors of the output name the file. */
  private static OutputStream naming(OutputStream o, Path given) {
    return new FilterOutputStream(o) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          out.write(b, off, len);
        } catch (IOException e) {
          throw new IOException(given + " (output): " + reason(e), e);
        }
      }

      @Override
      public void flush() throws IOException {
        try {
          out.flush();
        } catch (IOException e) {
          throw new IOException(given + " (output): " + reason(e), e);
        }
      }
    };
  }

  static <T> T write(Target t, Body<T> body) throws IOException {
    if (t.special()) {
      try (OutputStream o = naming(Files.newOutputStream(t.file(), StandardOpenOption.WRITE, StandardOpenOption.APPEND), t.given());
          Writer w = new BufferedWriter(new OutputStreamWriter(o, StandardCharsets.UTF_8), 1 << 16)) {
        T result = body.write(w);
        w.flush();
        return result;
      }
    }
    Path file = t.file();
    // the hook that removes the temporary file on SIGINT/SIGTERM is registered before the file exists
    Path tmp = file.resolveSibling(tempPrefix(file) + ProcessHandle.current().pid() + "-"
        + Long.toUnsignedString(RANDOM.nextLong()) + ".tmp");
    Thread hook = new Thread(() -> {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // exiting anyway
      }
    }, "jnmt-remove-temporary-output");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean done = false;
    try {
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (IOException e) {
        throw new IOException(t.given() + " (output): cannot create a temporary file in " + file.getParent() + ": "
            + reason(e), e);
      }
      permissions(tmp, file);
      T result;
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          Writer w =
              new BufferedWriter(
                  new OutputStreamWriter(naming(Channels.newOutputStream(ch), t.given()), StandardCharsets.UTF_8),
                  1 << 16)) {
        result = body.write(w);
        w.flush();
        try {
          ch.force(true);
        } catch (IOException e) {
          throw new IOException(t.given() + " (output): " + reason(e), e);
        }
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
      return result;
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // the original failure matters more
        }
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs
      }
    }
  }

  /** Checks, then writes: for callers without an earlier check. */
  static <T> T writeAtomically(Path target, Body<T> body) throws IOException {
    return write(check(target), body);
  }
}
