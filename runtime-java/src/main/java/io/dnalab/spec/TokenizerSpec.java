package io.dnalab.spec;

import java.nio.file.Path;
import java.util.List;

/** How sequences become tokens. */
public sealed interface TokenizerSpec {

  /** A short stable name for tables, e.g. {@code bpe4096}, {@code 6mer-overlap}. */
  String id();

  /** One token per base: A, C, G, T, N. */
  record Nucleotide() implements TokenizerSpec {
    @Override
    public String id() {
      return "nucleotide";
    }
  }

  /**
   * k-mers: overlapping with stride 1 as DNABERT (k 3 to 6), or non-overlapping as the Nucleotide
   * Transformer (leftover bases and N one by one).
   */
  record Kmer(int k, boolean overlapping) implements TokenizerSpec {
    public Kmer {
      SpecException.inRange("tokenizer.k", k, 1, 8);
    }

    @Override
    public String id() {
      return k + "mer" + (overlapping ? "-overlap" : "");
    }
  }

  /**
   * Byte-pair encoding trained on a corpus of FASTA files (DNABERT-2 uses 4096). An empty corpus
   * means the task's own training sequences.
   */
  record Bpe(int vocabSize, List<String> corpus) implements TokenizerSpec {
    public Bpe {
      SpecException.inRange("tokenizer.vocabSize", vocabSize, 16, 1 << 20);
      corpus = corpus == null ? List.of() : List.copyOf(corpus);
    }

    @Override
    public String id() {
      return "bpe" + vocabSize;
    }
  }

  /** A Hugging Face {@code tokenizer.json} on disk, e.g. DNABERT-2's. */
  record FromFile(Path path) implements TokenizerSpec {
    public FromFile {
      if (path == null) {
        throw new SpecException("tokenizer.path", "needs a tokenizer.json path, got null");
      }
    }

    @Override
    public String id() {
      return "file:" + path.getFileName();
    }
  }
}
