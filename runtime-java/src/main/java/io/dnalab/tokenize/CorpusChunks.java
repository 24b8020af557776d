package io.dnalab.tokenize;

import io.dnalab.data.BasePolicy;
import io.dnalab.data.FastaReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A training corpus cut into the "words" BPE counts pairs in. DNA has no whitespace, so dnalab
 * cuts it itself, and the Hugging Face peer is fed exactly the same chunks:
 *
 * <ol>
 *   <li>read FASTA under {@link BasePolicy#LENIENT_CORPUS} (lowercase to uppercase, IUPAC codes
 *       to N), sequences through {@link DnaAlphabet} (the same, other letters kept);
 *   <li>cut at every base that is not A, C, G or T (N runs: assembly gaps, unknown bases) and at
 *       record ends: no token spans a gap or two records;
 *   <li>cut each remaining ACGT run into chunks of {@code chunkLength} bases (1000 by default),
 *       the last chunk of a run being shorter. Chunks bound the work of one word (Hugging Face
 *       rescans whole words on every merge) and model inputs are of that order anyway.
 * </ol>
 *
 * Stored as one byte array, one normalized base per byte with a 0 byte between chunks (about one
 * byte per base: chr20 takes 64 MB).
 */
final class CorpusChunks {
  final int chunkLength;
  byte[] data = new byte[1 << 16];
  int length = 1; // data[0] = 0: a separator before the first chunk
  long chunks;
  long bases;
  long records;
  long emptyRecords;
  private int current; // bases in the chunk being written

  CorpusChunks(int chunkLength) {
    if (chunkLength < 2) {
      throw new IllegalArgumentException("chunkLength must be >= 2, got " + chunkLength);
    }
    this.chunkLength = chunkLength;
  }

  /** Appends normalized bases, cutting as the class comment says; fails on non-letters. */
  void add(byte[] buffer, int from, int to) {
    ensure(length + (to - from) + (to - from) / chunkLength + 2);
    byte[] d = data;
    int len = length;
    int cur = current;
    for (int i = from; i < to; i++) {
      byte n = DnaAlphabet.normalize(buffer[i]);
      if (DnaAlphabet.code(n) < 0) {
        if (n == DnaAlphabet.INVALID) {
          length = len;
          current = cur;
          throw DnaAlphabet.invalidByte(buffer, from, i);
        }
        if (cur > 0) {
          d[len++] = 0;
          chunks++;
          cur = 0;
        }
        continue;
      }
      d[len++] = n;
      bases++;
      if (++cur == chunkLength) {
        d[len++] = 0;
        chunks++;
        cur = 0;
      }
    }
    length = len;
    current = cur;
  }

  /** Ends the current record (and chunk). */
  void endSequence() {
    if (current > 0) {
      ensure(length + 1);
      data[length++] = 0;
      chunks++;
      current = 0;
    }
  }

  private void ensure(int capacity) {
    if (capacity > data.length) {
      data = Arrays.copyOf(data, Math.max(capacity, data.length + (data.length >> 1)));
    }
  }

  /** Thrown by a handler to stop reading once {@code maxBases} letters were taken. */
  private static final class EnoughBases extends RuntimeException {
    EnoughBases() {
      super(null, null, false, false);
    }
  }

  /**
   * Reads FASTA files in order; with {@code maxBases > 0} stops after that many sequence letters
   * (N included: "the first 20 Mbp" of a file), the rest of the files unread.
   */
  static CorpusChunks fromFasta(List<Path> files, int chunkLength, long maxBases, TrainingProgress progress) {
    CorpusChunks corpus = new CorpusChunks(chunkLength);
    long[] letters = {0};
    long total = 0;
    for (Path f : files) {
      try {
        total += java.nio.file.Files.size(f);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
      }
    }
    long[] done = {0};
    long finalTotal = total;
    for (Path file : files) {
      if (maxBases > 0 && letters[0] >= maxBases) {
        break;
      }
      FastaReader.Summary summary;
      try {
        summary =
          FastaReader.read(
              file,
              BasePolicy.LENIENT_CORPUS,
              new FastaReader.Handler() {
                @Override
                public void startRecord(String name) {}

                @Override
                public void bases(byte[] buffer, int from, int to) {
                  if (maxBases > 0 && letters[0] + (to - from) >= maxBases) {
                    int take = (int) (maxBases - letters[0]);
                    corpus.add(buffer, from, from + take);
                    letters[0] += take;
                    corpus.endSequence();
                    throw new EnoughBases();
                  }
                  corpus.add(buffer, from, to);
                  letters[0] += to - from;
                }

                @Override
                public void endRecord() {
                  corpus.endSequence();
                }
              },
              bytes -> {
                done[0] += bytes;
                progress.onProgress("read corpus", done[0], finalTotal);
              });
      } catch (EnoughBases enough) {
        corpus.records++;
        break;
      }
      corpus.records += summary.records();
      corpus.emptyRecords += summary.emptyRecords();
    }
    return corpus;
  }

  static CorpusChunks fromSequences(Iterable<? extends CharSequence> sequences, int chunkLength) {
    CorpusChunks corpus = new CorpusChunks(chunkLength);
    for (CharSequence s : sequences) {
      byte[] bytes = DnaAlphabet.bytes(s);
      corpus.add(bytes, 0, bytes.length);
      corpus.endSequence();
      corpus.records++;
      if (bytes.length == 0) {
        corpus.emptyRecords++;
      }
    }
    return corpus;
  }
}
