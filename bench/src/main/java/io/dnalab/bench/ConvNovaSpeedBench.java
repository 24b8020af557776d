package io.dnalab.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dnalab.data.DatasetCatalog;
import io.dnalab.data.LabeledSequence;
import io.dnalab.data.LoadOptions;
import io.dnalab.data.SequenceTask;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.experiment.ModelSpec;
import io.dnalab.experiment.TaskSpec;
import io.dnalab.train.Batches;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuner;
import io.dnalab.train.LearningRateSchedule;
import io.dnalab.train.NucleotideEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dnalab bench convnova-speed}: one ConvNova training step in dnalab (DJL) and in eager
 * PyTorch ({@code bench/peers/convnova_torch.py}), same architecture, batches, threads and
 * optimizer recipe, alternating rounds in one run. Reports steps/s, our step time over theirs
 * (goal ≤ 1.15) and peak resident memory of each process.
 */
@Command(name = "convnova-speed", mixinStandardHelpOptions = true,
    description = "ConvNova training step time: dnalab (DJL) vs eager PyTorch, same batches.")
public final class ConvNovaSpeedBench implements Callable<Integer> {

  @Option(names = "--task", defaultValue = "prom_core_all",
      description = "GUE task whose training sequences form the batches (default: ${DEFAULT-VALUE})")
  String task;

  @Option(names = "--config", defaultValue = "gb",
      description = "gb (Genomic Benchmarks, 0.38M) or nt (Nucleotide Transformer, 1.69M)")
  String config;

  @Option(names = "--batch-size", defaultValue = "64")
  int batchSize;

  @Option(names = "--batches", defaultValue = "20", description = "distinct batches, cycled")
  int batches;

  @Option(names = "--steps", defaultValue = "100", description = "timed steps per round")
  int steps;

  @Option(names = "--warmup", defaultValue = "20", description = "untimed steps per round")
  int warmup;

  @Option(names = "--rounds", defaultValue = "3",
      description = "alternating dnalab / PyTorch rounds; medians are reported")
  int rounds;

  @Option(names = "--threads", defaultValue = "2", description = "intra-op threads for both")
  int threads;

  @Option(names = "--python", defaultValue = "python3")
  String python;

  @Option(names = "--peer", defaultValue = "bench/peers/convnova_torch.py")
  Path peer;

  @Option(names = "--out", description = "also write the table (Markdown) to this file")
  Path out;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Integer call() throws Exception {
    String data = System.getenv("DNALAB_DATA");
    if (data == null || data.isBlank()) {
      System.err.println("DNALAB_DATA is not set: point it at the folder holding gue/");
      return 2;
    }
    if (!Files.isRegularFile(peer)) {
      System.err.println("PyTorch peer not found: " + peer + " (run from the repository root or "
          + "pass --peer)");
      return 2;
    }
    ModelSpec.ConvNova spec = switch (config) {
      case "gb" -> ModelSpec.ConvNova.genomicBenchmarks();
      case "nt" -> ModelSpec.ConvNova.nucleotideTransformer();
      default -> throw new IllegalArgumentException("--config must be gb or nt, got " + config);
    };
    Device device = DnalabEngine.start(new DnalabEngine.Settings(threads, 1,
        DnalabEngine.DeviceChoice.CPU, null));
    SequenceTask gue = DatasetCatalog.fromEnvironment().load(new TaskSpec.Gue(task),
        LoadOptions.defaults().withOffline(true));
    List<LabeledSequence> examples = gue.train().subList(0, batchSize * batches);
    Batches.Encoded encoded = Batches.Encoded.of(examples, NucleotideEncoder.INSTANCE);
    List<Batches.Batch> prepared = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      prepared.add(Batches.assemble(encoded, Batches.sequentialOrder(examples.size()),
          b * batchSize, (b + 1) * batchSize, NucleotideEncoder.INSTANCE.padId()));
    }
    int length = prepared.get(0).length();
    Path file = writeBatches(prepared);

    List<double[]> ours = new ArrayList<>(); // {steps/s, median ms, p90 ms}
    List<JsonNode> theirs = new ArrayList<>();
    long ourParameters = 0;
    for (int round = 1; round <= rounds; round++) {
      FineTuneConfig fineTune = new FineTuneConfig(1, 1e-3, batchSize, 0.1,
          LearningRateSchedule.Kind.WARMUP_COSINE, 0.01, 0.1, 1.0, 0, "mcc", batchSize, 0, 1);
      try (FineTuner.Session session = new FineTuner.Session(spec, 2, length, batchSize,
          fineTune, warmup + steps, device)) {
        ourParameters = session.parameterCount();
        double[] times = new double[steps];
        for (int s = 0; s < warmup + steps; s++) {
          long start = System.nanoTime();
          session.step(prepared.get(s % batches));
          if (s >= warmup) {
            times[s - warmup] = (System.nanoTime() - start) / 1e9;
          }
        }
        double total = Arrays.stream(times).sum();
        Arrays.sort(times);
        ours.add(new double[] {steps / total, 1000 * times[steps / 2],
            1000 * times[(int) (steps * 0.9)]});
      }
      JsonNode peerResult = runPeer(file, length, spec);
      theirs.add(peerResult);
      System.err.printf(Locale.ROOT, "round %d: dnalab %.2f steps/s (median %.1f ms, p90 %.1f ms),"
              + " PyTorch %.2f steps/s (median %.1f ms, p90 %.1f ms)%n", round,
          ours.get(round - 1)[0], ours.get(round - 1)[1], ours.get(round - 1)[2],
          peerResult.get("steps_per_s").asDouble(), peerResult.get("step_ms_median").asDouble(),
          peerResult.get("step_ms_p90").asDouble());
    }
    double ourSpeed = median(ours.stream().mapToDouble(r -> r[0]).toArray());
    double ourMedianMs = median(ours.stream().mapToDouble(r -> r[1]).toArray());
    double theirSpeed = median(theirs.stream().mapToDouble(j -> j.get("steps_per_s").asDouble())
        .toArray());
    double theirMedianMs = median(theirs.stream()
        .mapToDouble(j -> j.get("step_ms_median").asDouble()).toArray());
    double theirRss = theirs.stream().mapToDouble(j -> j.get("peak_rss_mb").asDouble()).max()
        .orElse(Double.NaN);
    JsonNode first = theirs.get(0);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "ConvNova %s config, batch %d × %d bp (GUE %s train, %d "
            + "distinct batches), %d threads, %d timed steps after %d warm-up, median of %d "
            + "alternating rounds%n%n", config, batchSize, length, task, batches, threads, steps,
        warmup, rounds));
    sb.append("| implementation | parameters | steps/s | median step ms | peak RSS MB |\n");
    sb.append("|---|---:|---:|---:|---:|\n");
    sb.append(String.format(Locale.ROOT, "| dnalab (%s) | %,d | %.2f | %.1f | %.0f |%n",
        DnalabEngine.describe(device), ourParameters, ourSpeed, ourMedianMs, peakRssMb()));
    sb.append(String.format(Locale.ROOT, "| PyTorch %s eager (%d threads) | %,d | %.2f | %.1f | "
            + "%.0f |%n", first.get("torch").asText(), first.get("threads").asInt(),
        first.get("parameters").asLong(), theirSpeed, theirMedianMs, theirRss));
    sb.append(String.format(Locale.ROOT, "%nour step time / theirs: %.3f (goal <= 1.15); "
        + "per round: %s%n", theirSpeed / ourSpeed, perRound(ours, theirs)));
    System.out.print(sb);
    if (out != null) {
      Files.writeString(out, sb.toString());
    }
    Files.deleteIfExists(file);
    return 0;
  }

  private static String perRound(List<double[]> ours, List<JsonNode> theirs) {
    List<String> ratios = new ArrayList<>();
    for (int i = 0; i < ours.size(); i++) {
      ratios.add(String.format(Locale.ROOT, "%.3f",
          theirs.get(i).get("steps_per_s").asDouble() / ours.get(i)[0]));
    }
    return String.join(", ", ratios);
  }

  /** Per batch: B·L ids then B labels, one signed byte each (the peer's input format). */
  private static Path writeBatches(List<Batches.Batch> batches) throws IOException {
    Path file = Files.createTempFile("dnalab-convnova-speed", ".bin");
    try (OutputStream out = Files.newOutputStream(file)) {
      for (Batches.Batch batch : batches) {
        if (batch.mask() != null) {
          throw new IllegalStateException("speed bench batches must have one length");
        }
        byte[] bytes = new byte[batch.ids().length + batch.labels().length];
        for (int i = 0; i < batch.ids().length; i++) {
          bytes[i] = (byte) batch.ids()[i];
        }
        for (int i = 0; i < batch.labels().length; i++) {
          bytes[batch.ids().length + i] = (byte) batch.labels()[i];
        }
        out.write(bytes);
      }
    }
    return file;
  }

  private JsonNode runPeer(Path file, int length, ModelSpec.ConvNova spec) throws Exception {
    List<String> command = List.of(python, peer.toString(), "--data", file.toString(),
        "--batch", Integer.toString(batchSize), "--length", Integer.toString(length),
        "--count", Integer.toString(batches), "--steps", Integer.toString(steps),
        "--warmup", Integer.toString(warmup), "--threads", Integer.toString(threads),
        "--config", config);
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

  private static double median(double[] values) {
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
}
