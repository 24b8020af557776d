package io.dnalab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dnalab.tokenize.BpeTokenizer;
import io.dnalab.tokenize.BpeTrainer;
import io.dnalab.tokenize.HfTokenizerJson;
import io.dnalab.tokenize.IntList;
import io.dnalab.tokenize.KmerTokenizer;
import io.dnalab.tokenize.NucleotideTokenizer;
import io.dnalab.tokenize.Tokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dnalab bench tokenizers}: dnalab's BPE trainer and encoders against Hugging Face
 * {@code tokenizers} and SentencePiece (BPE), on the same chunks of the same genome, in one run:
 * training wall time, encoding throughput on one thread and on all cores, peak memory, bases per
 * token, and the ratios the goals are stated in.
 *
 * <p>Everyone gets the same words: the first N letters of the FASTA (N included), cut at N runs and
 * into 1000-base chunks ({@code BpeTrainer.chunks}; the peers use {@code bench/peers/dna_chunks.py},
 * which cuts identically, checked by comparing base and chunk counts). Training is timed from the
 * chunks in memory to a trained model for all three; dnalab is also timed from the .fa.gz file.
 * Encoding is timed over all chunks, special tokens off, best of {@code --repeat} runs for dnalab
 * after one warm-up run; dnalab's training is timed after an untimed warm-up on 2% of the chunks.
 */
@Command(
    name = "tokenizers",
    mixinStandardHelpOptions = true,
    description = "BPE training and encoding vs Hugging Face tokenizers and SentencePiece; k-mer and nucleotide encoding.")
public final class TokenizerBench implements Callable<Integer> {

  @Option(names = "--fasta", description = "genome FASTA(.gz) (default: $DNALAB_DATA/genomes/human_GRCh37_chr20.fa.gz)")
  Path fasta;

  @Option(names = "--sizes", split = ",", defaultValue = "20000000,0",
      description = "corpus sizes in letters from the start of the file; 0 = the whole file (default ${DEFAULT-VALUE})")
  long[] sizes;

  @Option(names = "--peer-sizes", split = ",", defaultValue = "20000000,0",
      description = "sizes on which the peers run too (default ${DEFAULT-VALUE})")
  long[] peerSizes;

  @Option(names = "--peers", split = ",", defaultValue = "hf,spm", description = "hf, spm (default ${DEFAULT-VALUE})")
  List<String> peers;

  @Option(names = "--vocab", defaultValue = "4096", description = "BPE vocabulary size (default ${DEFAULT-VALUE})")
  int vocab;

  @Option(names = "--chunk-length", defaultValue = "1000", description = "chunk length in bases (default ${DEFAULT-VALUE})")
  int chunkLength;

  @Option(names = "--threads", description = "threads for 'all cores' (default: available processors)")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--repeat", defaultValue = "3", description = "encoding runs, best kept (default ${DEFAULT-VALUE})")
  int repeat;

  @Option(names = "--python", defaultValue = "python3", description = "Python with tokenizers and sentencepiece")
  String python;

  @Option(names = "--work", defaultValue = "target/bench-tokenizers", description = "folder for models")
  Path work;

  private final PrintStream out = System.out;
  private final List<String[]> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    if (fasta == null) {
      String data = System.getenv("DNALAB_DATA");
      fasta = Path.of(data != null ? data : "../shared/datasets").resolve("genomes/human_GRCh37_chr20.fa.gz");
    }
    if (!Files.exists(fasta)) {
      System.err.println("corpus not found: " + fasta + " (set DNALAB_DATA or --fasta)");
      return 2;
    }
    Files.createDirectories(work);
    out.printf("dnalab bench tokenizers: %s, vocab %d, chunks of %d bases, %d threads for 'all cores', Java %s, max heap %d MB%n",
        fasta.getFileName(), vocab, chunkLength, threads, System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20);
    for (long size : sizes) {
      runSize(size);
    }
    printTable();
    return 0;
  }

  private static String label(long size) {
    return size == 0 ? "whole" : (size / 1_000_000) + " Mbp";
  }

  private void runSize(long size) throws Exception {
    String corpus = label(size);
    BpeTrainer trainer = BpeTrainer.builder().vocabSize(vocab).chunkLength(chunkLength).maxBases(size).build();
    List<String> chunks = trainer.chunks(List.of(fasta));
    long bases = chunks.stream().mapToLong(String::length).sum();
    out.printf("%n[%s] %d chunks, %d ACGT bases%n", corpus, chunks.size(), bases);

    // One untimed training on the first 2% of the chunks compiles the hot code (JIT warm-up);
    // then dnalab training from the chunks in memory, then from the file.
    trainer.train(chunks.subList(0, Math.max(1, chunks.size() / 50)));
    System.gc();
    resetHeapPeaks();
    long t0 = System.nanoTime();
    BpeTokenizer ours = trainer.train(chunks);
    double trainSeconds = seconds(t0);
    long heapPeakMb = heapPeakMb();
    t0 = System.nanoTime();
    BpeTokenizer fromFile = trainer.train(List.of(fasta));
    double trainFileSeconds = seconds(t0);
    if (!HfTokenizerJson.toJson(fromFile).equals(HfTokenizerJson.toJson(ours))) {
      throw new IllegalStateException("training from the file and from its chunks differ");
    }
    Path ourModel = work.resolve("dnalab-" + label(size).replace(' ', '_') + ".json");
    ours.save(ourModel);
    out.printf("dnalab BPE trained in %.2f s from chunks (%.2f s from the .fa.gz), heap peak %d MB%n",
        trainSeconds, trainFileSeconds, heapPeakMb);

    List<byte[]> bytes = new ArrayList<>(chunks.size());
    for (String c : chunks) {
      bytes.add(c.getBytes(StandardCharsets.ISO_8859_1));
    }
    chunks = null;
    Encode bpe1 = encode(ours, bytes, 1);
    Encode bpeN = encode(ours, bytes, threads);
    rows.add(row(corpus, "dnalab BPE", fmt(trainSeconds) + " (" + fmt(trainFileSeconds) + " from .fa.gz)",
        bpe1, bpeN, heapPeakMb + " (heap)"));

    boolean runPeers = Arrays.stream(peerSizes).anyMatch(s -> s == size);
    for (String peer : runPeers ? peers : List.<String>of()) {
      Path model = work.resolve(peer + "-" + label(size).replace(' ', '_') + (peer.equals("hf") ? ".json" : ""));
      JsonNode trained = runPeer(peer, size, model, threads, false);
      JsonNode single = runPeer(peer, size, model, 1, true);
      if (trained.path("bases").asLong() != bases) {
        throw new IllegalStateException(peer + " read " + trained.path("bases") + " bases, dnalab " + bases);
      }
      String name = peer.equals("hf") ? "HF tokenizers BPE" : "SentencePiece BPE";
      double peerTrain = trained.path("train_s").asDouble();
      Encode p1 = new Encode(single.path("encode_mbps").asDouble(), single.path("bases_per_token").asDouble());
      Encode pN = new Encode(trained.path("encode_mbps").asDouble(), trained.path("bases_per_token").asDouble());
      rows.add(row(corpus, name, fmt(peerTrain), p1, pN,
          String.format(Locale.ROOT, "%.0f (RSS)", Math.max(trained.path("peak_rss_mb").asDouble(), single.path("peak_rss_mb").asDouble()))));
      String ratio = String.format(Locale.ROOT,
          "%s, %s: dnalab BPE training time / %s = %.3f (goal <= 0.5); encoding throughput dnalab / %s = %.1fx on 1 thread, %.1fx on %d threads (goal >= 10x)",
          corpus, name, name, trainSeconds / peerTrain, name, bpe1.mbps / p1.mbps, bpeN.mbps / pN.mbps, threads);
      if (peer.equals("hf")) {
        Tokenizer hf = HfTokenizerJson.load(model);
        boolean same = ((BpeTokenizer) hf).mergeTokens().stream().map(m -> m[0] + " " + m[1]).toList()
            .equals(ours.mergeTokens().stream().map(m -> m[0] + " " + m[1]).toList());
        ratio += "; merges identical to Hugging Face's: " + (same ? "yes" : "NO");
      }
      notes.add(ratio);
      out.println(ratio);
    }
    if (!runPeers) {
      notes.add(corpus + ": peers not run (--peer-sizes)");
    }
    notes.add(String.format(Locale.ROOT, "%s: dnalab BPE trained with a heap peak of %d MB (sum of heap pool peaks; goal < 2048 MB on the whole chromosome)",
        corpus, heapPeakMb));

    Tokenizer[] fixed = {KmerTokenizer.create(6, false), KmerTokenizer.create(6, true), KmerTokenizer.create(3, true), NucleotideTokenizer.create()};
    String[] names = {"dnalab 6-mer (NT, non-overlapping)", "dnalab 6-mer (DNABERT, overlapping)", "dnalab 3-mer (DNABERT, overlapping)", "dnalab nucleotide"};
    for (int i = 0; i < fixed.length; i++) {
      Encode e1 = encode(fixed[i], bytes, 1);
      Encode eN = encode(fixed[i], bytes, threads);
      rows.add(row(corpus, names[i], "-", e1, eN, "-"));
      notes.add(String.format(Locale.ROOT, "%s, %s: %.0f Mbp/s on one core (goal >= 200)", corpus, names[i], e1.mbps));
    }
  }

  private record Encode(double mbps, double basesPerToken) {}

  /** Best of {@code repeat} runs over all chunks with {@code n} threads, each on a contiguous slice. */
  private Encode encode(Tokenizer t, List<byte[]> chunks, int n) throws Exception {
    long bases = chunks.stream().mapToLong(b -> b.length).sum();
    double best = Double.MAX_VALUE;
    long tokens = 0;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      for (int r = 0; r < repeat + 1; r++) { // the first run warms the JIT up and is not counted
        long t0 = System.nanoTime();
        List<Future<Long>> parts = new ArrayList<>();
        for (int k = 0; k < n; k++) {
          int from = (int) ((long) chunks.size() * k / n);
          int to = (int) ((long) chunks.size() * (k + 1) / n);
          parts.add(pool.submit(() -> {
            IntList ids = new IntList(4 * chunkLength);
            long count = 0;
            for (int i = from; i < to; i++) {
              ids.clear();
              byte[] c = chunks.get(i);
              t.encodeTo(c, 0, c.length, ids);
              count += ids.size();
            }
            return count;
          }));
        }
        long sum = 0;
        for (Future<Long> f : parts) {
          sum += f.get();
        }
        double s = seconds(t0);
        if (r > 0) {
          best = Math.min(best, s);
        }
        tokens = sum;
      }
    } finally {
      pool.shutdown();
    }
    return new Encode(bases / best / 1e6, (double) bases / tokens);
  }

  private JsonNode runPeer(String tool, long size, Path model, int n, boolean load) throws Exception {
    Path script = Path.of("bench/peers/tokenizers_peer.py");
    if (!Files.exists(script)) {
      script = Path.of("peers/tokenizers_peer.py");
    }
    List<String> cmd = new ArrayList<>(List.of(python, script.toString(), "--tool", tool, "--fasta", fasta.toString(),
        "--max-bases", Long.toString(size), "--chunk-length", Integer.toString(chunkLength), "--vocab", Integer.toString(vocab),
        "--threads", Integer.toString(n), "--model", model.toString()));
    if (load) {
      cmd.add("--load");
    }
    out.printf("running %s%n", String.join(" ", cmd));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        last = line;
      }
    }
    int rc = p.waitFor();
    if (rc != 0 || last == null) {
      throw new IOException(tool + " peer failed with exit code " + rc);
    }
    out.printf("  -> %s (%.0f s)%n", last, seconds(t0));
    return new ObjectMapper().readTree(last);
  }

  private String[] row(String corpus, String name, String train, Encode one, Encode all, String memory) {
    return new String[] {corpus, name, train, String.format(Locale.ROOT, "%.1f", one.mbps),
        String.format(Locale.ROOT, "%.1f", all.mbps), memory, String.format(Locale.ROOT, "%.3f", one.basesPerToken)};
  }

  private void printTable() {
    out.println();
    out.printf("| corpus | tokenizer | BPE training (s) | encode Mbp/s, 1 thread | encode Mbp/s, %d threads | peak memory (MB) | bases/token |%n", threads);
    out.println("|---|---|---:|---:|---:|---:|---:|");
    for (String[] r : rows) {
      out.println("| " + String.join(" | ", r) + " |");
    }
    out.println();
    for (String n : notes) {
      out.println("- " + n);
    }
    out.printf("- dnalab process peak RSS: %s MB%n", peakRssMb());
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static void resetHeapPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  private static long heapPeakMb() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum >> 20;
  }

  private static String peakRssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.toString(Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux: leave it out
    }
    return "n/a";
  }
}
