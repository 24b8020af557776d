package io.dnalab.bench;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import io.dnalab.engine.DnalabEngine;
import io.dnalab.engine.TorchNatives;
import io.dnalab.model.InputVocabulary;
import io.dnalab.model.Models;
import io.dnalab.model.TokenEncoder;
import io.dnalab.spec.ModelSpec;
import io.dnalab.train.Batches;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuner;
import io.dnalab.train.LearningRateSchedule;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dnalab bench dnabert2-speed}: dnalab's {@link io.dnalab.model.BertEncoder} in
 * DNABERT-2-117M's shape (12 layers × 768, 12 heads, feed-forward 3072, vocabulary 4096) against
 * the same architecture in eager PyTorch ({@code bench/peers/dnabert2_torch.py}, the plain-PyTorch
 * {@code bert_layers.py} path of {@code bert_torch.py}), with the same random weights: dnalab
 * initialises the encoder (DNABERT-2's N(0, 0.02)), writes it as safetensors, and the peer loads
 * it. Same batches (32 × 128 random token ids), same threads. Per round, alternating sides: a
 * forward pass of the encoder (inference, no autograd) and one fine-tuning step of the classifier
 * ([CLS] head, cross-entropy, backward, clipping, AdamW). The encoder outputs' sums are compared
 * to show that both sides computed the same function.
 */
@Command(name = "dnabert2-speed", mixinStandardHelpOptions = true,
    description = "DNABERT-2-117M-shaped BERT, same weights: forward pass and fine-tuning step, "
        + "dnalab (DJL) vs eager PyTorch.")
public final class Dnabert2SpeedBench implements Callable<Integer> {
  /**
   * A timed call whose threads spent more than this share of their ready time waiting for a
   * core (run-queue wait / (CPU + wait)) ran on a busy machine: flagged in the table.
   */
  static final double CONTENDED_WAIT_SHARE = 0.05;

  @Option(names = "--batch-size", defaultValue = "32")
  int batchSize;

  @Option(names = "--length", defaultValue = "128", description = "tokens per sequence")
  int length;

  @Option(names = "--vocab", defaultValue = "4096")
  int vocab;

  @Option(names = "--layers", defaultValue = "12")
  int layers;

  @Option(names = "--forward", defaultValue = "2", description = "timed forward passes per round")
  int forwardPasses;

  @Option(names = "--steps", defaultValue = "2",
      description = "timed fine-tuning steps per round; 0 times forward passes only")
  int steps;

  @Option(names = "--warmup", defaultValue = "1",
      description = "untimed forward passes and steps per round, each")
  int warmup;

  @Option(names = "--rounds", defaultValue = "2",
      description = "alternating dnalab / PyTorch rounds; medians are reported")
  int rounds;

  @Option(names = "--threads", defaultValue = "1", description = "intra-op threads for both")
  int threads;

  @Option(names = "--python", defaultValue = "python3")
  String python;

  @Option(names = "--peer", defaultValue = "bench/peers/dnabert2_torch.py")
  Path peer;

  @Option(names = "--out", description = "also write the table (Markdown) to this file")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(peer)) {
      System.err.println("PyTorch peer not found: " + peer
          + " (run from the repository root or pass --peer)");
      return 2;
    }
    Device device = DnalabEngine.start(new DnalabEngine.Settings(threads, 1,
        DnalabEngine.DeviceChoice.CPU, null));
    ModelSpec.Bert dnabert2 = ModelSpec.Bert.dnabert2();
    ModelSpec.Bert spec = new ModelSpec.Bert(layers, dnabert2.hidden(), dnabert2.heads(),
        dnabert2.intermediate(), dnabert2.dropout(), dnabert2.attentionDropout(), false,
        ModelSpec.Pooling.CLS, true);
    int[] identity = new int[vocab];
    Arrays.setAll(identity, i -> i);
    InputVocabulary vocabulary = new InputVocabulary(vocab, 0, 1, false, identity);

    Path work = Files.createTempDirectory("dnabert2-speed");
    Path params = work.resolve("encoder.params");
    Path safetensors = work.resolve("encoder.safetensors");
    DnalabEngine.seed(1);
    long encoderParameters;
    try (NDManager manager = NDManager.newBaseManager(device)) {
      TokenEncoder encoder = Models.createEncoder(spec, vocabulary);
      Models.initialize(encoder, manager, 1, 8);
      encoder.save(params);
      encoderParameters = encoder.parameterCount();
      NDList named = new NDList();
      for (Pair<String, Parameter> parameter : encoder.getParameters()) {
        NDArray array = parameter.getValue().getArray();
        array.setName(parameter.getKey()); // the peer maps DJL's names onto its modules
        named.add(array);
      }
      try (OutputStream stream = Files.newOutputStream(safetensors)) {
        named.encode(stream, NDList.Encoding.SAFETENSORS);
      }
    }

    // Two distinct batches of random ids (no padding: DNABERT-2's unpadded path is not timed).
    Random random = new Random(7);
    List<Batches.Batch> batches = new ArrayList<>();
    for (int b = 0; b < 2; b++) {
      long[] ids = new long[batchSize * length];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = 5 + random.nextInt(vocab - 5);
      }
      long[] labels = new long[batchSize];
      for (int i = 0; i < batchSize; i++) {
        labels[i] = random.nextInt(2);
      }
      batches.add(new Batches.Batch(ids, null, labels, batchSize, length));
    }
    Path batchFile = SpeedComparison.writeBatches(batches);
    FineTuneConfig fineTune = new FineTuneConfig(1, 1e-3, batchSize, 0.1,
        LearningRateSchedule.Kind.WARMUP_COSINE, 0.01, 0.1, 1.0, 0, "mcc", batchSize, 0, 1);

    List<OurRound> ours = new ArrayList<>();
    List<JsonNode> theirs = new ArrayList<>();
    List<String> loads = new ArrayList<>();
    long classifierParameters = 0;
    try {
      for (int round = 1; round <= rounds; round++) {
        loads.add(loadAverage());
        SpeedComparison.Timing forward;
        double[] corners = new double[2];
        try (NDManager manager = NDManager.newBaseManager(device)) {
          TokenEncoder encoder = Models.createEncoder(spec, vocabulary);
          Models.initialize(encoder, manager, 1, 8);
          encoder.load(params, manager);
          ParameterStore store = new ParameterStore(manager, false);

          forward = SpeedComparison.time(warmup, forwardPasses, i -> {
            Batches.Batch batch = batches.get(i % batches.size());
            try (NDManager step = manager.newSubManager()) {
              NDArray ids = step.create(batch.ids(), new Shape(batchSize, length));
              float[] values = TorchNatives.withoutGradients(() -> encoder.forward(store,
                  new NDList(ids), false).head().toFloatArray()); // (B, L, H) flat
              // a sum would not tell weights apart: each position's LayerNorm output sums to ~0
              corners[0] = values[0];
              corners[1] = values[values.length - 1];
            }
          });
        }
        SpeedComparison.Timing stepTimes = null;
        if (steps > 0) {
          try (FineTuner.Session session = new FineTuner.Session(spec, vocabulary, params, 2,
              length, batchSize, fineTune, warmup + steps, device)) {
            classifierParameters = session.parameterCount();
            stepTimes = SpeedComparison.timeSteps(session, batches, warmup, steps);
          }
        }
        OurRound our = new OurRound(forward, stepTimes, corners[0], corners[1]);
        ours.add(our);
        JsonNode peerResult = runPeer(batchFile, safetensors, spec);
        theirs.add(peerResult);
        System.err.printf(Locale.ROOT, "round %d (load %s): dnalab forward %.2f s (%.2f cores "
                + "busy, %.2f s run-queue wait), step %.2f s; PyTorch forward %.2f s (%.2f cores "
                + "busy, %.2f s wait), step %.2f s%n", round, loads.get(round - 1),
            our.forwardSeconds(), our.forward().busyCores(), our.forward().waitPerCall(),
            our.stepSeconds(), peerResult.get("forward_s_median").asDouble(),
            theirBusyCores(peerResult), theirWaitPerCall(peerResult),
            theirStepSeconds(peerResult));
      }
    } finally {
      Files.deleteIfExists(batchFile);
      Files.deleteIfExists(params);
      Files.deleteIfExists(safetensors);
      Files.deleteIfExists(work);
    }
    String table = table(spec, encoderParameters, classifierParameters, ours, theirs, loads,
        device);
    System.out.print(table);
    if (out != null) {
      Files.writeString(out, table);
    }
    return 0;
  }

  /**
   * dnalab's side of one round: the forward passes, the fine-tuning steps (null with
   * {@code --steps 0}) and the first and last value of the last forward output.
   */
  private record OurRound(SpeedComparison.Timing forward, SpeedComparison.Timing step,
      double firstValue, double lastValue) {
    double forwardSeconds() {
      return SpeedComparison.median(forward.seconds());
    }

    double stepSeconds() {
      return step == null ? Double.NaN : SpeedComparison.median(step.seconds());
    }
  }

  private static double theirStepSeconds(JsonNode peer) {
    return peer.hasNonNull("step_s_median") ? peer.get("step_s_median").asDouble() : Double.NaN;
  }

  private static double theirBusyCores(JsonNode peer) {
    return peer.get("forward_cpu_s").asDouble() / peer.get("forward_wall_s").asDouble();
  }

  private double theirWaitPerCall(JsonNode peer) {
    return peer.get("forward_wait_s").asDouble() / forwardPasses;
  }

  private String table(ModelSpec.Bert spec, long encoderParameters, long classifierParameters,
      List<OurRound> ours, List<JsonNode> theirs, List<String> loads, Device device) {
    double ourForward = SpeedComparison.median(
        ours.stream().mapToDouble(OurRound::forwardSeconds).toArray());
    double ourStep = SpeedComparison.median(
        ours.stream().mapToDouble(OurRound::stepSeconds).toArray());
    double theirForward = SpeedComparison.median(theirs.stream()
        .mapToDouble(j -> j.get("forward_s_median").asDouble()).toArray());
    double theirStep = SpeedComparison.median(theirs.stream()
        .mapToDouble(Dnabert2SpeedBench::theirStepSeconds).toArray());
    double theirRss = theirs.stream().mapToDouble(j -> j.get("peak_rss_mb").asDouble()).max()
        .orElse(Double.NaN);
    JsonNode first = theirs.get(0);
    OurRound our = ours.get(ours.size() - 1);
    JsonNode their = theirs.get(theirs.size() - 1);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "BERT %d layers × %d (heads %d, feed-forward %d, "
            + "dropout %.1f, ALiBi, GEGLU), vocabulary %d, batch %d × %d random token ids, "
            + "%d threads; per round %d timed forward passes and %d timed fine-tuning steps "
            + "after %d untimed of each; medians over %d alternating rounds (load average per "
            + "round: %s)%n%n", spec.layers(), spec.hidden(), spec.heads(), spec.intermediate(),
        spec.dropout(), vocab, batchSize, length, threads, forwardPasses, steps, warmup, rounds,
        String.join("; ", loads)));
    sb.append("| implementation | encoder parameters | forward s | fine-tuning step s | "
        + "peak RSS MB |\n|---|---:|---:|---:|---:|\n");
    sb.append(String.format(Locale.ROOT, "| dnalab (%s) | %,d | %.2f | %.2f | %.0f |%n",
        DnalabEngine.describe(device), encoderParameters, ourForward, ourStep,
        SpeedComparison.peakRssMb()));
    sb.append(String.format(Locale.ROOT, "| PyTorch %s eager (%d threads) | %,d | %.2f | %.2f | "
            + "%.0f |%n", first.get("torch").asText(), first.get("threads").asInt(),
        first.get("encoder_parameters").asLong(), theirForward, theirStep, theirRss));
    sb.append(String.format(Locale.ROOT, "%nour time / theirs: forward %.3f, fine-tuning step "
            + "%.3f (goal <= 1.0)%n", ourForward / theirForward, ourStep / theirStep));
    sb.append(String.format(Locale.ROOT, "same weights: the encoder's output (B, L, H) of the "
            + "last forward batch at [0, 0, 0] dnalab %.7g, PyTorch %.7g; at [B-1, L-1, H-1] "
            + "dnalab %.7g, PyTorch %.7g; classifier parameters (with BERT's pooler): dnalab "
            + "%s, PyTorch %,d%n", our.firstValue(), their.get("first_value").asDouble(),
        our.lastValue(), their.get("last_value").asDouble(),
        steps > 0 ? String.format(Locale.ROOT, "%,d", classifierParameters) : "not built",
        first.get("parameters").asLong()));
    // A timing only measures the code when its threads had the cores: busy cores near the thread
    // count and a run-queue wait near 0. Otherwise the machine's load is in the figure.
    sb.append("\nper round, the timed calls' CPU use: busy cores = CPU s / wall s (all threads); "
        + "wait = run-queue wait per call, s (ready threads without a core)\n\n");
    sb.append("| round | dnalab forward busy cores | wait s | dnalab step busy cores | wait s "
        + "| PyTorch forward busy cores | wait s | PyTorch step busy cores | wait s |\n"
        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<String> contended = new ArrayList<>();
    for (int round = 0; round < ours.size(); round++) {
      OurRound ourRound = ours.get(round);
      JsonNode theirRound = theirs.get(round);
      boolean stepped = ourRound.step() != null;
      double theirStepWall = stepped
          ? theirRound.get("steps").asDouble() / theirRound.get("steps_per_s").asDouble() : 0;
      sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %s | %s | %.2f | %.2f | %s | %s "
              + "|%n", round + 1, ourRound.forward().busyCores(),
          ourRound.forward().waitPerCall(),
          stepped ? String.format(Locale.ROOT, "%.2f", ourRound.step().busyCores()) : "—",
          stepped ? String.format(Locale.ROOT, "%.2f", ourRound.step().waitPerCall()) : "—",
          theirBusyCores(theirRound), theirWaitPerCall(theirRound),
          stepped ? String.format(Locale.ROOT, "%.2f",
              theirRound.get("step_cpu_s").asDouble() / theirStepWall) : "—",
          stepped ? String.format(Locale.ROOT, "%.2f", theirRound.get("step_wait_s").asDouble()
              / theirRound.get("steps").asDouble()) : "—"));
      List<Double> shares = new ArrayList<>(List.of(ourRound.forward().waitShare(),
          SpeedComparison.Timing.waitShare(theirRound.get("forward_cpu_s").asDouble(),
              theirRound.get("forward_wait_s").asDouble())));
      if (stepped) {
        shares.add(ourRound.step().waitShare());
        shares.add(SpeedComparison.Timing.waitShare(theirRound.get("step_cpu_s").asDouble(),
            theirRound.get("step_wait_s").asDouble()));
      }
      double worst = shares.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      if (worst > CONTENDED_WAIT_SHARE) {
        contended.add(String.format(Locale.ROOT, "%d (%.0f%%)", round + 1, 100 * worst));
      }
    }
    sb.append(contended.isEmpty()
        ? String.format(Locale.ROOT, "%nNo timed call waited for a core more than %.0f%% of its "
            + "ready time: the timings measure the code.%n", 100 * CONTENDED_WAIT_SHARE)
        : String.format(Locale.ROOT, "%nCONTENDED: in round(s) %s a side's threads waited for a "
            + "core more than %.0f%% of their ready time (wait / (CPU + wait), worst shown): "
            + "other processes had the cores, so those timings measure the machine's load as "
            + "well as the code.%n", String.join(", ", contended),
            100 * CONTENDED_WAIT_SHARE));
    return sb.toString();
  }

  private JsonNode runPeer(Path batchFile, Path safetensors, ModelSpec.Bert spec)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(python, peer.toString(),
        "--data", batchFile.toString(), "--batch", Integer.toString(batchSize),
        "--length", Integer.toString(length), "--count", "2",
        "--steps", Integer.toString(steps), "--warmup", Integer.toString(warmup),
        "--forward", Integer.toString(forwardPasses), "--threads", Integer.toString(threads),
        "--weights", safetensors.toString(), "--vocab", Integer.toString(vocab),
        "--layers", Integer.toString(spec.layers()), "--hidden", Integer.toString(spec.hidden()),
        "--heads", Integer.toString(spec.heads()),
        "--intermediate", Integer.toString(spec.intermediate()),
        "--dropout", Double.toString(spec.dropout())));
    return SpeedComparison.runPeer(command);
  }

  /** The 1-minute load average, as {@code uptime} prints it first. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }
}
