package io.dnalab.cli;

import io.dnalab.data.BasePolicy;
import io.dnalab.data.FastaReader;
import io.dnalab.tokenize.BpeTrainer;
import io.dnalab.tokenize.HfTokenizerJson;
import io.dnalab.tokenize.IntList;
import io.dnalab.tokenize.KmerTokenizer;
import io.dnalab.tokenize.NucleotideTokenizer;
import io.dnalab.tokenize.TokenIdsFile;
import io.dnalab.tokenize.Tokenizer;
import io.dnalab.tokenize.TokenizerStatistics;
import io.dnalab.tokenize.TrainingProgress;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dnalab tokenizer train|encode}, in the manner of {@code spm_train} / {@code spm_encode}. */
@Command(
    name = "tokenizer",
    mixinStandardHelpOptions = true,
    description = "Train tokenizers and encode FASTA files with them.",
    subcommands = {TokenizerCommand.Train.class, TokenizerCommand.Encode.class})
public final class TokenizerCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "train",
      mixinStandardHelpOptions = true,
      description = {
        "Train a tokenizer on FASTA(.gz) files and save it as Hugging Face tokenizer.json.",
        "bpe needs the FASTA files; kmer and nucleotide have fixed vocabularies and need none.",
      })
  static final class Train implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--type", required = true, description = "bpe, kmer or nucleotide")
    String type;

    @Option(names = "--vocab", defaultValue = "4096", description = "BPE vocabulary size, specials and alphabet included (default ${DEFAULT-VALUE})")
    int vocabSize;

    @Option(names = "--k", defaultValue = "6", description = "k-mer length (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--overlapping", description = "overlapping k-mers (DNABERT); default non-overlapping (Nucleotide Transformer)")
    boolean overlapping;

    @Option(names = "--chunk-length", defaultValue = "1000", description = "BPE: longest training chunk in bases (default ${DEFAULT-VALUE})")
    int chunkLength;

    @Option(names = "--max-bases", defaultValue = "0", description = "BPE: read only the first N sequence letters of the corpus (0 = all)")
    long maxBases;

    @Option(names = "--out", required = true, description = "tokenizer.json to write")
    Path out;

    @Parameters(arity = "0..*", paramLabel = "FASTA", description = "corpus files (.fa, .fa.gz)")
    List<Path> fasta = new ArrayList<>();

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Tokenizer tokenizer;
      long start = System.nanoTime();
      switch (type) {
        case "bpe" -> {
          if (fasta.isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                "--type bpe needs at least one FASTA file");
          }
          try (Bars bars = new Bars()) {
            tokenizer = BpeTrainer.builder()
                .vocabSize(vocabSize)
                .chunkLength(chunkLength)
                .maxBases(maxBases)
                .progress(bars)
                .build()
                .train(fasta);
          }
        }
        case "kmer" -> tokenizer = KmerTokenizer.create(k, overlapping);
        case "nucleotide" -> tokenizer = NucleotideTokenizer.create();
        default -> throw new ParameterException(spec.commandLine(),
            "--type must be bpe, kmer or nucleotide, got " + type);
      }
      HfTokenizerJson.save(tokenizer, out);
      err.printf("wrote %s: %s, %d tokens, %.1f s%n", out, tokenizer.type(), tokenizer.vocabSize(),
          (System.nanoTime() - start) / 1e9);
      return 0;
    }
  }

  @Command(
      name = "encode",
      mixinStandardHelpOptions = true,
      description = {
        "Encode FASTA(.gz) records with a tokenizer.json into ids.bin (format: TokenIdsFile):",
        "  \"DNLTOK01\", int32 vocab size, then per record: int32 name length, UTF-8 name,",
        "  int64 id count, int32 ids; all little-endian.",
      })
  static final class Encode implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--tokenizer", required = true, description = "tokenizer.json (Hugging Face format)")
    Path tokenizerPath;

    @Option(names = "--out", required = true, description = "ids.bin to write")
    Path out;

    @Option(names = "--add-special-tokens", description = "wrap each record in the tokenizer's special tokens, e.g. [CLS] ... [SEP]")
    boolean addSpecialTokens;

    @Option(names = "--stats", description = "print bases per token, vocabulary lengths and the most frequent tokens")
    boolean stats;

    @Parameters(arity = "1..*", paramLabel = "FASTA", description = "files to encode")
    List<Path> fasta;

    @Override
    public Integer call() {
      PrintWriter o = spec.commandLine().getOut();
      Tokenizer tokenizer = HfTokenizerJson.load(tokenizerPath);
      TokenizerStatistics.Accumulator acc = new TokenizerStatistics.Accumulator(tokenizer);
      IntList ids = new IntList(1 << 16);
      IntList model = new IntList(1 << 16);
      int[] prefix = addSpecialTokens ? tokenizer.specialTokensBefore() : new int[0];
      int[] suffix = addSpecialTokens ? tokenizer.specialTokensAfter() : new int[0];
      long start = System.nanoTime();
      long[] bases = {0};
      try (TokenIdsFile.Writer writer = new TokenIdsFile.Writer(out, tokenizer.vocabSize())) {
        for (Path file : fasta) {
          byte[][] data = {new byte[1 << 16]};
          int[] length = {0};
          String[] name = {null};
          FastaReader.read(file, BasePolicy.LENIENT_CORPUS, new FastaReader.Handler() {
            @Override
            public void startRecord(String recordName) {
              name[0] = recordName;
              length[0] = 0;
            }

            @Override
            public void bases(byte[] buffer, int from, int to) {
              int n = to - from;
              if (length[0] + n > data[0].length) {
                data[0] = Arrays.copyOf(data[0], Math.max(length[0] + n, data[0].length * 2));
              }
              System.arraycopy(buffer, from, data[0], length[0], n);
              length[0] += n;
            }

            @Override
            public void endRecord() {
              model.clear();
              tokenizer.encodeTo(data[0], 0, length[0], model);
              acc.add(length[0], model);
              bases[0] += length[0];
              ids.clear();
              for (int id : prefix) {
                ids.add(id);
              }
              for (int i = 0; i < model.size(); i++) {
                ids.add(model.get(i));
              }
              for (int id : suffix) {
                ids.add(id);
              }
              writer.write(name[0], ids);
            }
          });
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      TokenizerStatistics s = acc.result();
      o.printf("encoded %d records, %d bases into %d tokens in %.2f s (%.1f Mbp/s incl. reading): %s%n",
          s.sequences(), s.bases(), s.tokens(), seconds, bases[0] / seconds / 1e6, out);
      if (stats) {
        printStats(o, s);
      }
      o.flush();
      return 0;
    }

    static void printStats(PrintWriter o, TokenizerStatistics s) {
      o.printf("bases per token: %.3f (%d bases, %d tokens, %d sequences)%n", s.basesPerToken(), s.bases(), s.tokens(), s.sequences());
      o.printf("vocabulary tokens never used: %d%n", s.unusedTokens());
      o.println("vocabulary entries by length (bases: entries):");
      for (Map.Entry<Integer, Integer> e : s.vocabularyLengths().entrySet()) {
        o.printf("  %3d: %d%n", e.getKey(), e.getValue());
      }
      o.println("most frequent tokens (id, token, count, share):");
      s.tokenFrequencies().stream().limit(20).forEach(t ->
          o.printf("  %6d  %-20s %12d  %6.3f%%%n", t.id(), t.token(), t.count(), 100 * t.fraction()));
    }
  }

  /** One progress bar per training phase, on stderr. */
  private static final class Bars implements TrainingProgress, AutoCloseable {
    private ProgressBar bar;
    private String phase;

    @Override
    public void onProgress(String newPhase, long done, long total) {
      if (!newPhase.equals(phase)) {
        close();
        phase = newPhase;
        bar = new ProgressBarBuilder().setTaskName(newPhase).setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
            .setUnit(newPhase.equals("read corpus") ? " MB" : "", newPhase.equals("read corpus") ? 1_000_000 : 1)
            .build();
      }
      bar.stepTo(done);
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }
}
