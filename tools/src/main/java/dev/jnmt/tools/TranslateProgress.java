package dev.jnmt.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A one-line progress bar on stderr, redrawn with '\r' at most five times a second and erased at the
 * end. Shown only when stderr is a terminal (so logs and redirected stderr stay clean).
 */
final class TranslateProgress {

  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final long totalBytes;
  private long lastDraw;
  private int lastLength;

  TranslateProgress(PrintWriter err, long totalBytes) {
    this.err = err;
    this.totalBytes = totalBytes;
  }

  /** Whether file descriptor 2 is a terminal (Linux: /proc/self/fd/2 → /dev/pts/N or /dev/ttyN). */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return false;
    }
  }

  void update(long bytes, TranslateSummary s) {
    long now = System.nanoTime();
    if (now - lastDraw < 200_000_000L && bytes < totalBytes) {
      return;
    }
    lastDraw = now;
    double fraction = totalBytes <= 0 ? 1 : Math.min(1, (double) bytes / totalBytes);
    int filled = (int) Math.round(fraction * WIDTH);
    double secs = Math.max(s.seconds(), 1e-9);
    String text =
        String.format(
            Locale.ROOT,
            "[%s%s] %3.0f%% %d sentences, %.1f sentences/s",
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            fraction * 100,
            s.sentences(),
            s.sentences() / secs);
    err.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
    err.flush();
    lastLength = text.length();
  }

  void finish() {
    if (lastLength > 0) {
      err.print("\r" + " ".repeat(lastLength) + "\r");
      err.flush();
    }
  }
}
