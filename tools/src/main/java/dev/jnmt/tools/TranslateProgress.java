package dev.jnmt.tools;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A one-line progress display on stderr, redrawn with '\r' twice a second by its own daemon thread from
 * the moment it is created (model loading included) and erased when closed: a bar with percent,
 * sentences, sentences/s, elapsed time and ETA for a file of known size, a spinner with sentences,
 * sentences/s and elapsed time for standard input or a pipe. Shown only when stderr is a terminal (so
 * logs and redirected stderr stay clean).
 */
final class TranslateProgress implements AutoCloseable {

  private static final int WIDTH = 24;
  private static final long PERIOD_MS = 500;
  private static final String SPINNER = "|/-\\";

  private final PrintWriter err;
  private final long totalBytes;
  private final long start = System.nanoTime();
  private volatile long bytes;
  private volatile long sentences = -1; // -1: still loading the model
  private final Thread ticker;
  private int lastLength;
  private int tick;
  private boolean closed;

  /** @param totalBytes the input's size, or -1 when unknown (stdin, a pipe): a spinner then */
  TranslateProgress(PrintWriter err, long totalBytes) {
    this.err = err;
    this.totalBytes = totalBytes;
    this.ticker = Thread.ofPlatform().daemon().name("jnmt-progress").unstarted(this::loop);
    ticker.start();
  }

  /** Whether file descriptor {@code fd} is a terminal (Linux: /proc/self/fd/N → /dev/pts/N or /dev/ttyN). */
  static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return false;
    }
  }

  static boolean stderrIsTerminal() {
    return isTerminal(2);
  }

  private void loop() {
    try {
      while (true) {
        draw();
        Thread.sleep(PERIOD_MS);
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  /** Called after each block: bytes of the input consumed, sentences written. */
  void update(long bytes, TranslateSummary s) {
    this.bytes = bytes;
    this.sentences = s.sentences();
  }

  private synchronized void draw() {
    if (closed) {
      return;
    }
    String text = line(System.nanoTime() - start, bytes, totalBytes, sentences, tick++);
    err.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
    err.flush();
    lastLength = text.length();
  }

  /** The text of one redraw (a pure function, tested). */
  static String line(long elapsedNanos, long bytes, long totalBytes, long sentences, int tick) {
    double secs = elapsedNanos / 1e9;
    String elapsed = clock(secs);
    if (sentences < 0) {
      return SPINNER.charAt(tick & 3) + " loading the model, " + elapsed;
    }
    String rate = String.format(Locale.ROOT, "%,d sentence%s, %.1f sentences/s", sentences,
        sentences == 1 ? "" : "s", sentences / Math.max(secs, 1e-9));
    if (totalBytes <= 0) {
      return SPINNER.charAt(tick & 3) + " " + rate + ", elapsed " + elapsed;
    }
    double fraction = Math.min(1, (double) bytes / totalBytes);
    int filled = (int) Math.round(fraction * WIDTH);
    String eta = fraction <= 0 ? "--:--" : clock(secs * (1 - fraction) / fraction);
    return String.format(Locale.ROOT, "[%s%s] %3.0f%% %s, elapsed %s, ETA %s",
        "#".repeat(filled), ".".repeat(WIDTH - filled), fraction * 100, rate, elapsed, eta);
  }

  /** m:ss, or h:mm:ss from one hour. */
  static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /** Stops the redraws and erases the line. */
  @Override
  public void close() {
    ticker.interrupt();
    try {
      ticker.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      closed = true;
      if (lastLength > 0) {
        err.print("\r" + " ".repeat(lastLength) + "\r");
        err.flush();
      }
    }
  }
}
