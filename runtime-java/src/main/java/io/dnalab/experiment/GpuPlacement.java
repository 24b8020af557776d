package io.dnalab.experiment;

import java.util.ArrayList;
import java.util.List;

/**
 * Which GPU the next worker gets: the one with the fewest workers running on it, the first in the
 * list on a tie. With {@code jobs} equal to the number of GPUs every running stage has a GPU of its
 * own; with more jobs than GPUs they are shared round-robin (GPU 0, 1, …, 0, 1, …). Not
 * thread-safe: the pool's one scheduling thread calls it.
 */
final class GpuPlacement {
  private final List<String> gpus;
  private final int[] running;

  /** @param gpus each a value for a worker's {@code CUDA_VISIBLE_DEVICES}; at least one */
  GpuPlacement(List<String> gpus) {
    if (gpus.isEmpty()) {
      throw new IllegalArgumentException("no GPU to place workers on");
    }
    // "0,0" would be one GPU counted twice: CUDA itself refuses such a list.
    this.gpus = List.copyOf(new java.util.LinkedHashSet<>(gpus));
    this.running = new int[this.gpus.size()];
  }

  /** Takes the least busy GPU for a starting worker; give it back with {@link #release}. */
  String acquire() {
    int best = 0;
    for (int i = 1; i < running.length; i++) {
      if (running[i] < running[best]) {
        best = i;
      }
    }
    running[best]++;
    return gpus.get(best);
  }

  /** A worker on {@code gpu} ended. */
  void release(String gpu) {
    int i = gpus.indexOf(gpu);
    if (i < 0 || running[i] == 0) {
      throw new IllegalStateException("GPU " + gpu + " was not acquired");
    }
    running[i]--;
  }

  /** Workers running on each GPU, in list order. */
  List<Integer> load() {
    List<Integer> load = new ArrayList<>();
    for (int n : running) {
      load.add(n);
    }
    return load;
  }
}
