package dev.jnmt.intgemm;

import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/** Splits the output columns into blocks of whole 8-column groups and runs them on an executor. */
final class Parallel {
  private Parallel() {}

  @FunctionalInterface
  interface ColumnRange {
    void run(int colStart, int colEnd);
  }

  /**
   * Runs {@code body} over [0, cols) in up to {@code parallelism} contiguous ranges, each a multiple of 8
   * columns; the caller's thread takes the first range. Rethrows the first failure after every range ended.
   */
  static void columns(int cols, Executor executor, int parallelism, ColumnRange body) {
    Objects.requireNonNull(executor, "executor");
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism " + parallelism + " must be >= 1");
    }
    int groups = cols / 8;
    int tasks = Math.min(parallelism, groups);
    if (tasks <= 1) {
      body.run(0, cols);
      return;
    }
    CountDownLatch done = new CountDownLatch(tasks - 1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    for (int t = 1; t < tasks; t++) {
      int start = (int) ((long) groups * t / tasks) * 8;
      int end = (int) ((long) groups * (t + 1) / tasks) * 8;
      try {
        executor.execute(
            () -> {
              try {
                body.run(start, end);
              } catch (Throwable e) {
                failure.compareAndSet(null, e);
              } finally {
                done.countDown();
              }
            });
      } catch (RuntimeException e) {
        failure.compareAndSet(null, e);
        done.countDown();
      }
    }
    try {
      body.run(0, (int) ((long) groups / tasks) * 8);
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
    }
    boolean interrupted = false;
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException re) {
      throw re;
    }
    if (f instanceof Error err) {
      throw err;
    }
    if (f != null) {
      throw new IllegalStateException(f);
    }
  }
}
