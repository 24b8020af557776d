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

  /**
   * A public checkpoint's k-mer tokenizer, read from its {@code vocab.txt} (one token per line, id
   * = line number) and the tokenizer files beside it ({@code tokenizer_config.json}, {@code
   * special_tokens_map.json}), as {@code transformers} reads them; its ids are the rows of the
   * checkpoint's embedding, which dnalab's own {@link Kmer} ids are not.
   *
   * @param path the checkpoint's {@code vocab.txt}
   * @param layout how the checkpoint's family tokenizes with it
   */
  record VocabFile(Path path, Layout layout) implements TokenizerSpec {
    /** The {@code vocab.txt} tokenizers of public checkpoints. */
    public enum Layout {
      /**
       * DNABERT ({@code BertTokenizer}): {@code [CLS]}, the overlapping k-mers of the sequence
       * (stride 1), {@code [SEP]}.
       */
      DNABERT,
      /**
       * Nucleotide Transformer v1 ({@code EsmTokenizer}): {@code <cls>}, then non-overlapping
       * k-mers left to right, single letters for leftovers and N.
       */
      NUCLEOTIDE_TRANSFORMER
    }

    public VocabFile {
      if (path == null) {
        throw new SpecException("tokenizer.path", "needs a checkpoint's vocab.txt path, got null");
      }
      if (layout == null) {
        throw new SpecException("tokenizer.layout", "must be DNABERT or NUCLEOTIDE_TRANSFORMER, "
            + "got null");
      }
    }

    @Override
    public String id() {
      return "file:" + path.getFileName();
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
