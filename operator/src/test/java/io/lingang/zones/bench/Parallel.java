package io.lingang.zones.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Runs one task per item on a fixed number of threads; the first failure fails the whole. */
final class Parallel {
  private Parallel() {}

  static <T> void forEach(List<T> items, int threads, Consumer<T> task) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "bench-worker");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> task.accept(item)));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          throw new IllegalStateException("a create failed: " + e.getCause().getMessage(), e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
