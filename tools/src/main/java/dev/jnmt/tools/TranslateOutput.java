package dev.jnmt.tools;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes an output file atomically: a temporary file in the same directory, synced, then renamed. */
final class TranslateOutput {

  /** The body that fills the file. */
  interface Body<T> {
    T write(Writer w) throws IOException;
  }

  private TranslateOutput() {}

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

  static <T> T writeAtomically(Path target, Body<T> body) throws IOException {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw new IOException(target + " (output): the directory " + dir + " does not exist");
    }
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    boolean done = false;
    try {
      permissions(tmp, abs);
      T result;
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          Writer w =
              new BufferedWriter(
                  new OutputStreamWriter(java.nio.channels.Channels.newOutputStream(ch), StandardCharsets.UTF_8),
                  1 << 16)) {
        result = body.write(w);
        w.flush();
        ch.force(true);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
      return result;
    } finally {
      if (!done) {
        Files.deleteIfExists(tmp);
      }
    }
  }
}
