package io.dnalab.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.train.Batches;
import io.dnalab.train.FineTuner;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * What the "one training step, dnalab vs eager PyTorch" benchmarks share: the batches file the
 * peer reads, alternating timed rounds (a fresh {@link FineTuner.Session} per round, then the
 * peer process), medians over rounds, and the Markdown table. The peers share
 * {@code bench/peers/speed_peer.py} (file reading, timing loop, optimizer recipe, JSON line).
 */
final class SpeedComparison {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How one comparison runs. */
  record Settings(String python, Path peer, List<String> peerArguments, int rounds, int steps,
      int warmup, int threads, Device device) {}

  private SpeedComparison() {}

  /**
   * Runs {@code rounds} alternating rounds: ours ({@code warmup} untimed then {@code steps} timed
   * steps over {@code batches}, cycled, on a session from {@code sessions}), then the peer's on
   * the same batches. Returns the table (Markdown) under {@code header}; per-round lines go to
   * stderr.
   */
  static String run(String header, List<Batches.Batch> batches, Supplier<FineTuner.Session> sessions,
      Settings settings) throws Exception {
    int length = batches.get(0).length();
    int batchSize = batches.get(0).size();
    Path file = writeBatches(batches);
    try {
      List<double[]> ours = new ArrayList<>(); // {steps/s, median ms, p90 ms}
      List<JsonNode> theirs = new ArrayList<>();
      long ourParameters = 0;
      for (int round = 1; round <= settings.rounds(); round++) {
        try (FineTuner.Session session = sessions.get()) {
          ourParameters = session.parameterCount();
          int steps = settings.steps();
          double[] times = timeSteps(session, batches, settings.warmup(), steps).seconds();
          double total = Arrays.stream(times).sum();
          Arrays.sort(times);
          ours.add(new double[] {steps / total, 1000 * times[steps / 2],
              1000 * times[(int) (steps * 0.9)]});
        }
        JsonNode peerResult = runPeer(settings, file, batchSize, length, batches.size());
        theirs.add(peerResult);
        System.err.printf(Locale.ROOT, "round %d: dnalab %.2f steps/s (median %.1f ms, p90 %.1f "
                + "ms), PyTorch %.2f steps/s (median %.1f ms, p90 %.1f ms)%n", round,
            ours.get(round - 1)[0], ours.get(round - 1)[1], ours.get(round - 1)[2],
            peerResult.get("steps_per_s").asDouble(), peerResult.get("step_ms_median").asDouble(),
            peerResult.get("step_ms_p90").asDouble());
      }
      double ourSpeed = median(ours.stream().mapToDouble(r -> r[0]).toArray());
      double ourMedianMs = median(ours.stream().mapToDouble(r -> r[1]).toArray());
      double theirSpeed = median(theirs.stream()
          .mapToDouble(j -> j.get("steps_per_s").asDouble()).toArray());
      double theirMedianMs = median(theirs.stream()
          .mapToDouble(j -> j.get("step_ms_median").asDouble()).toArray());
      double theirRss = theirs.stream().mapToDouble(j -> j.get("peak_rss_mb").asDouble()).max()
          .orElse(Double.NaN);
      JsonNode first = theirs.get(0);
      StringBuilder sb = new StringBuilder();
      sb.append(header).append(String.format(Locale.ROOT, ", %d threads, %d timed steps after %d "
              + "warm-up, median of %d alternating rounds%n%n", settings.threads(),
          settings.steps(), settings.warmup(), settings.rounds()));
      sb.append("| implementation | parameters | steps/s | median step ms | peak RSS MB |\n");
      sb.append("|---|---:|---:|---:|---:|\n");
      sb.append(String.format(Locale.ROOT, "| dnalab (%s) | %,d | %.2f | %.1f | %.0f |%n",
          DnalabEngine.describe(settings.device()), ourParameters, ourSpeed, ourMedianMs,
          peakRssMb()));
      sb.append(String.format(Locale.ROOT, "| PyTorch %s eager (%d threads) | %,d | %.2f | %.1f "
              + "| %.0f |%n", first.get("torch").asText(), first.get("threads").asInt(),
          first.get("parameters").asLong(), theirSpeed, theirMedianMs, theirRss));
      sb.append(String.format(Locale.ROOT, "%nour step time / theirs: %.3f (goal <= 1.15); "
          + "per round: %s%n", theirSpeed / ourSpeed, perRound(ours, theirs)));
      if (first.get("parameters").asLong() != ourParameters) {
        sb.append(String.format(Locale.ROOT, "%nWARNING: parameter counts differ (%,d vs %,d): "
            + "the two sides do not build the same model%n", ourParameters,
            first.get("parameters").asLong()));
      }
      return sb.toString();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Batches of one length (no padding mask), or an error naming the first that is not. */
  static void requireEqualLengths(List<Batches.Batch> batches) {
    for (int b = 0; b < batches.size(); b++) {
      if (batches.get(b).mask() != null || batches.get(b).length() != batches.get(0).length()) {
        throw new IllegalStateException("speed bench batch " + b + " is padded: the peers read "
            + "batches of one length (choose a task whose sequences have one length)");
      }
    }
  }

  /**
   * Per batch: B·L ids then B labels, each a little-endian int32 (the peers'
   * {@code speed_peer.read_batches}).
   */
  static Path writeBatches(List<Batches.Batch> batches) throws IOException {
    requireEqualLengths(batches);
    Path file = Files.createTempFile("dnalab-speed", ".bin");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
      for (Batches.Batch batch : batches) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * (batch.ids().length + batch.labels().length))
            .order(ByteOrder.LITTLE_ENDIAN);
        for (long id : batch.ids()) {
          buffer.putInt(Math.toIntExact(id));
        }
        for (long label : batch.labels()) {
          buffer.putInt(Math.toIntExact(label));
        }
        out.write(buffer.array());
      }
    }
    return file;
  }

  /**
   * What this process's threads (the JVM's and PyTorch's native ones) have used so far, from
   * Linux's {@code /proc/self/task/<tid>/schedstat}: CPU time on a core, and run-queue wait, the
   * time a thread was ready to run while the core went to another process. On a shared machine
   * the wait is the part of a wall time that says nothing about the code; a timing whose wait is
   * a sizeable share of it measured the machine's load. Threads that have exited are not counted
   * (the bench's compute threads, the main thread and its OpenMP pool, live to the end).
   */
  record ProcessClock(double cpuSeconds, double waitSeconds) {
    static ProcessClock now() {
      double cpu = 0;
      double wait = 0;
      try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
        for (Path task : tasks) {
          String[] fields;
          try {
            // "<ns on cpu> <ns waiting on a run queue> <timeslices>"
            fields = Files.readString(task.resolve("schedstat")).trim().split(" ");
          } catch (IOException exited) {
            continue; // the thread ended between the listing and the read
          }
          cpu += Long.parseLong(fields[0]) / 1e9;
          wait += Long.parseLong(fields[1]) / 1e9;
        }
      } catch (IOException | RuntimeException noProcfs) {
        return new ProcessClock(Double.NaN, Double.NaN);
      }
      return new ProcessClock(cpu, wait);
    }

    ProcessClock since(ProcessClock earlier) {
      return new ProcessClock(cpuSeconds - earlier.cpuSeconds, waitSeconds - earlier.waitSeconds);
    }
  }

  /**
   * The timed calls of {@link #time}: each one's wall seconds, and the process's CPU and
   * run-queue wait seconds over all of them together.
   */
  record Timing(double[] seconds, ProcessClock clock) {
    double wallSeconds() {
      return Arrays.stream(seconds).sum();
    }

    /** CPU seconds per wall second: about the thread count when every thread had a core. */
    double busyCores() {
      return clock.cpuSeconds() / wallSeconds();
    }

    /**
     * The share of its threads' ready time that they spent waiting for a core:
     * wait / (CPU + wait). Near 0 when the process had the cores it asked for.
     */
    double waitShare() {
      return waitShare(clock.cpuSeconds(), clock.waitSeconds());
    }

    static double waitShare(double cpuSeconds, double waitSeconds) {
      return waitSeconds / (cpuSeconds + waitSeconds);
    }

    /** Run-queue wait per timed call, seconds (summed over threads). */
    double waitPerCall() {
      return clock.waitSeconds() / seconds.length;
    }
  }

  /**
   * Runs {@code warmup} untimed then {@code timed} timed calls of {@code work} (given the call's
   * index, from 0); returns the timed calls' wall times and the process clock over them.
   */
  static Timing time(int warmup, int timed, IntConsumer work) {
    double[] seconds = new double[timed];
    ProcessClock used = new ProcessClock(0, 0);
    for (int i = 0; i < warmup + timed; i++) {
      ProcessClock before = ProcessClock.now();
      long start = System.nanoTime();
      work.accept(i);
      if (i >= warmup) {
        seconds[i - warmup] = (System.nanoTime() - start) / 1e9;
        ProcessClock call = ProcessClock.now().since(before);
        used = new ProcessClock(used.cpuSeconds() + call.cpuSeconds(),
            used.waitSeconds() + call.waitSeconds());
      }
    }
    return new Timing(seconds, used);
  }

  /** {@link #time} of fine-tuning steps over {@code batches}, cycled. */
  static Timing timeSteps(FineTuner.Session session, List<Batches.Batch> batches, int warmup,
      int timed) {
    return time(warmup, timed, s -> session.step(batches.get(s % batches.size())));
  }

  /** Runs a peer's command; returns the JSON object on its last output line. */
  static JsonNode runPeer(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IllegalStateException("PyTorch peer failed (exit " + exit + "): "
          + String.join(" ", command));
    }
    String[] lines = output.strip().split("\n");
    return JSON.readTree(lines[lines.length - 1]);
  }

  private static JsonNode runPeer(Settings settings, Path file, int batchSize, int length,
      int count) throws Exception {
    List<String> command = new ArrayList<>(List.of(settings.python(), settings.peer().toString(),
        "--data", file.toString(), "--batch", Integer.toString(batchSize),
        "--length", Integer.toString(length), "--count", Integer.toString(count),
        "--steps", Integer.toString(settings.steps()),
        "--warmup", Integer.toString(settings.warmup()),
        "--threads", Integer.toString(settings.threads())));
    command.addAll(settings.peerArguments());
    return runPeer(command);
  }

  private static String perRound(List<double[]> ours, List<JsonNode> theirs) {
    List<String> ratios = new ArrayList<>();
    for (int i = 0; i < ours.size(); i++) {
      ratios.add(String.format(Locale.ROOT, "%.3f",
          theirs.get(i).get("steps_per_s").asDouble() / ours.get(i)[0]));
    }
    return String.join(", ", ratios);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** Peak resident set of this JVM (VmHWM), MB; NaN where /proc is missing. */
  static double peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  /** Checks shared by the benchmarks' command lines: data folder and peer script present. */
  static String missingInputs(Path peer) {
    String data = System.getenv("DNALAB_DATA");
    if (data == null || data.isBlank()) {
      return "DNALAB_DATA is not set: point it at the folder holding gue/";
    }
    if (!Files.isRegularFile(peer)) {
      return "PyTorch peer not found: " + peer + " (run from the repository root or pass --peer)";
    }
    return null;
  }
}
