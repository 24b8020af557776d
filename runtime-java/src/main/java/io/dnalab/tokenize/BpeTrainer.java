package io.dnalab.tokenize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a {@link BpeTokenizer} of a requested vocabulary size (4096 as DNABERT-2) on FASTA
 * corpora streamed from disk, cut into chunks as {@link CorpusChunks} documents.
 *
 * <p><b>Same merges as Hugging Face.</b> The trainer makes exactly the choices of Hugging Face's
 * {@code BpeTrainer} on the same chunks, so the two produce identical vocabularies and merges
 * (tested on real sequence):
 *
 * <ul>
 *   <li>ids: special tokens first in their given order, then the alphabet {@code A C G N T} sorted
 *       by character, then each new token in the order it is made; a merge whose string is already
 *       a token reuses its id (the vocabulary does not grow);
 *   <li>each step merges the adjacent pair with the highest count over the corpus, overlapping
 *       occurrences counted ({@code AAA} holds two {@code A A});
 *   <li><b>tie-break:</b> among pairs of equal count, the pair whose (left id, right id) is
 *       smallest, comparing left ids first; deterministic for the same input and settings;
 *   <li>a merge replaces its pair left to right within each chunk ({@code AAA} becomes
 *       {@code AA A});
 *   <li>it stops at the vocabulary size (specials and alphabet included) or when no pair is left.
 * </ul>
 *
 * <p><b>How it is fast and small.</b> Hugging Face keeps words as vectors and rescans every word
 * holding the pair on each merge. Here the corpus is one {@code int} array with a token id at each
 * token's first base, an end marker at its last base and separators between chunks, so a merge
 * touches only the positions of its pair: each pair keeps the list of positions where it was
 * formed (stale entries are checked and skipped), pair counts are updated incrementally from the
 * neighbours of each merged occurrence, and a max-heap of (count, pair) with lazy re-insertion of
 * stale counts (as in Hugging Face) picks the next merge. Memory is about 4 bytes per base for the
 * array plus 4 bytes per pair occurrence in the lists: chr20 (63 Mbp) trains in well under 2 GB of
 * heap.
 */
public final class BpeTrainer implements TokenizerTrainer {
  /** The trainer keeps pairs of ids as 16-bit halves of one key. */
  public static final int MAX_VOCAB_SIZE = 1 << 16;

  public static final String ALPHABET = "ACGNT";

  private final int vocabSize;
  private final int chunkLength;
  private final List<String> specialTokens;
  private final TrainingProgress progress;
  private final long maxBases;

  private BpeTrainer(Builder b) {
    this.maxBases = b.maxBases;
    this.vocabSize = b.vocabSize;
    this.chunkLength = b.chunkLength;
    this.specialTokens = List.copyOf(b.specialTokens);
    this.progress = b.progress;
    int minimum = specialTokens.size() + ALPHABET.length();
    if (vocabSize < minimum || vocabSize > MAX_VOCAB_SIZE) {
      throw new IllegalArgumentException(
          "vocabSize must be in " + minimum + ".." + MAX_VOCAB_SIZE + " (specials and alphabet included), got " + vocabSize);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public int vocabSize() {
    return vocabSize;
  }

  public int chunkLength() {
    return chunkLength;
  }

  /** Settings of a trainer. */
  public static final class Builder {
    private int vocabSize = 4096;
    private int chunkLength = 1000;
    private List<String> specialTokens = SpecialTokens.NAMES;
    private TrainingProgress progress = TrainingProgress.NONE;
    private long maxBases;

    /**
     * Reads only the first {@code maxBases} sequence letters of the corpus files, N included
     * (0, the default, reads everything): "the first 20 Mbp of chr20" is {@code 20_000_000}.
     */
    public Builder maxBases(long maxBases) {
      if (maxBases < 0) {
        throw new IllegalArgumentException("maxBases must be >= 0, got " + maxBases);
      }
      this.maxBases = maxBases;
      return this;
    }

    /** Vocabulary size including the special tokens and the alphabet (default 4096). */
    public Builder vocabSize(int vocabSize) {
      this.vocabSize = vocabSize;
      return this;
    }

    /** Longest chunk (word) in bases (default 1000); see {@link CorpusChunks}. */
    public Builder chunkLength(int chunkLength) {
      this.chunkLength = chunkLength;
      return this;
    }

    /** Special tokens, given ids 0.. in this order (default {@code [PAD] [UNK] [CLS] [SEP] [MASK]}). */
    public Builder specialTokens(List<String> specialTokens) {
      this.specialTokens = specialTokens;
      return this;
    }

    public Builder progress(TrainingProgress progress) {
      this.progress = progress == null ? TrainingProgress.NONE : progress;
      return this;
    }

    public BpeTrainer build() {
      return new BpeTrainer(this);
    }
  }

  @Override
  public BpeTokenizer train(List<Path> fastaFiles) {
    if (fastaFiles.isEmpty()) {
      throw new IllegalArgumentException("no corpus files given");
    }
    return train(CorpusChunks.fromFasta(fastaFiles, chunkLength, maxBases, progress), fastaFiles.toString());
  }

  /**
   * The training chunks of FASTA files exactly as {@link #train(List)} cuts them ({@link
   * CorpusChunks}): to feed a peer the same words, or to train several times from memory ({@code
   * train(chunks(files))} equals {@code train(files)}).
   */
  public List<String> chunks(List<Path> fastaFiles) {
    CorpusChunks corpus = CorpusChunks.fromFasta(fastaFiles, chunkLength, maxBases, progress);
    List<String> out = new ArrayList<>((int) Math.min(Integer.MAX_VALUE, corpus.chunks));
    int start = 1;
    for (int i = 1; i < corpus.length; i++) {
      if (corpus.data[i] == 0) {
        out.add(new String(corpus.data, start, i - start, java.nio.charset.StandardCharsets.ISO_8859_1));
        start = i + 1;
      }
    }
    return out;
  }

  @Override
  public BpeTokenizer train(Iterable<? extends CharSequence> sequences) {
    return train(CorpusChunks.fromSequences(sequences, chunkLength), "the given sequences");
  }

  private BpeTokenizer train(CorpusChunks corpus, String source) {
    if (corpus.bases == 0) {
      throw new InvalidSequenceException(
          source + ": the corpus has no A/C/G/T bases to train on (" + corpus.records + " records, "
              + corpus.emptyRecords + " empty)");
    }
    return new Run(corpus).train();
  }

  /** Sentinel values of the corpus array besides token ids (>= 0) and end markers (<= -2). */
  private static final int SEPARATOR = Integer.MIN_VALUE;

  private static final int INTERIOR = -1;

  /** One training run; holds the corpus array and the pair statistics. */
  private final class Run {
    final List<String> idToToken = new ArrayList<>();
    final Map<String, Integer> tokenToId = new HashMap<>();
    int[] tokenLength = new int[256];
    int[] corpus;

    // Pairs, by dense pair index.
    final PairIndex pairIndex = new PairIndex();
    int[] pairLeft = new int[1024];
    int[] pairRight = new int[1024];
    int[] count = new int[1024];
    int[][] positions = new int[1024][];
    int[] positionCount = new int[1024];
    int[] touchedStamp = new int[1024];
    int pairs;

    int[] touched = new int[256];
    int touchedCount;
    int stamp;

    final BpeTokenizer.LongMinHeap heap = new BpeTokenizer.LongMinHeap();
    final List<int[]> merges = new ArrayList<>();

    Run(CorpusChunks chunks) {
      for (String special : specialTokens) {
        addToken(special, 0);
      }
      for (char c : ALPHABET.toCharArray()) {
        addToken(String.valueOf(c), 1);
      }
      int[] idOfBase = new int[256];
      Arrays.fill(idOfBase, -1);
      for (char c : ALPHABET.toCharArray()) {
        idOfBase[c] = tokenToId.get(String.valueOf(c));
      }
      // One int per base; the bytes are released as soon as this is built.
      corpus = new int[chunks.length + 1];
      byte[] data = chunks.data;
      for (int i = 0; i < chunks.length; i++) {
        corpus[i] = data[i] == 0 ? SEPARATOR : idOfBase[data[i]];
      }
      corpus[chunks.length] = SEPARATOR;
      chunks.data = null;
    }

    private int addToken(String token, int length) {
      Integer existing = tokenToId.get(token);
      if (existing != null) {
        return existing;
      }
      int id = idToToken.size();
      if (tokenToId.containsKey(token)) {
        throw new IllegalArgumentException("duplicate special token " + token);
      }
      idToToken.add(token);
      tokenToId.put(token, id);
      if (id == tokenLength.length) {
        tokenLength = Arrays.copyOf(tokenLength, id * 2);
      }
      tokenLength[id] = length;
      return id;
    }

    BpeTokenizer train() {
      countInitialPairs();
      int target = vocabSize;
      progress.onProgress("merges", idToToken.size(), target);
      while (idToToken.size() < target && !heap.isEmpty()) {
        long entry = -heap.pop();
        int storedCount = (int) (entry >>> 32);
        long key = 0xFFFFFFFFL - (entry & 0xFFFFFFFFL);
        int pair = pairIndex.get(key);
        if (storedCount != count[pair]) {
          push(pair); // stale count: re-queue with the current one (it may be lower, never higher)
          continue;
        }
        if (storedCount < 1) {
          break;
        }
        merge(pair);
        progress.onProgress("merges", idToToken.size(), target);
      }
      List<String> tokens = new ArrayList<>(idToToken);
      int[][] mergeIds = merges.toArray(new int[0][]);
      corpus = null;
      Vocabulary vocabulary = Vocabulary.of(tokens);
      SpecialTokens specials = SpecialTokens.find(vocabulary);
      return new BpeTokenizer(
          vocabulary,
          specials,
          mergeIds,
          false,
          false,
          DnaAlphabet.normalizationTable(),
          AbstractTokenizer.defaultOptions(specials));
    }

    /** Counts every adjacent pair, then lists its positions in exactly sized arrays. */
    private void countInitialPairs() {
      int[] c = corpus;
      for (int i = 1; i + 1 < c.length; i++) {
        if (c[i] >= 0 && c[i + 1] >= 0) {
          count[pairOf(c[i], c[i + 1])]++;
        }
      }
      for (int p = 0; p < pairs; p++) {
        positions[p] = new int[count[p]];
      }
      for (int i = 1; i + 1 < c.length; i++) {
        if (c[i] >= 0 && c[i + 1] >= 0) {
          int p = pairIndex.get(key(c[i], c[i + 1]));
          positions[p][positionCount[p]++] = i;
        }
      }
      for (int p = 0; p < pairs; p++) {
        if (count[p] > 0) {
          push(p);
        }
      }
    }

    private long key(int a, int b) {
      return ((long) a << 16) | b;
    }

    /** The index of pair (a, b), created with count 0 if new. */
    private int pairOf(int a, int b) {
      long key = key(a, b);
      int p = pairIndex.get(key);
      if (p >= 0) {
        return p;
      }
      p = pairs++;
      if (p == count.length) {
        int n = p * 2;
        pairLeft = Arrays.copyOf(pairLeft, n);
        pairRight = Arrays.copyOf(pairRight, n);
        count = Arrays.copyOf(count, n);
        positions = Arrays.copyOf(positions, n);
        positionCount = Arrays.copyOf(positionCount, n);
        touchedStamp = Arrays.copyOf(touchedStamp, n);
      }
      pairLeft[p] = a;
      pairRight[p] = b;
      pairIndex.put(key, p);
      return p;
    }

    /** Queues a pair with its current count; max count first, then smallest (left, right) ids. */
    private void push(int pair) {
      long key = key(pairLeft[pair], pairRight[pair]);
      long entry = ((long) count[pair] << 32) | (0xFFFFFFFFL - key);
      heap.push(-entry);
    }

    private void merge(int pair) {
      int a = pairLeft[pair];
      int b = pairRight[pair];
      String token = idToToken.get(a) + idToToken.get(b);
      int z = addToken(token, tokenLength[a] + tokenLength[b]);
      merges.add(new int[] {a, b, z});
      int[] list = positions[pair];
      int n = positionCount[pair];
      positions[pair] = null;
      positionCount[pair] = 0;
      stamp++;
      touchedCount = 0;
      if (list != null) {
        if (a == b && n > 1) {
          Arrays.sort(list, 0, n); // overlapping X X pairs: left to right, as Hugging Face
        }
        for (int i = 0; i < n; i++) {
          mergeAt(list[i], a, b, z);
        }
      }
      for (int t = 0; t < touchedCount; t++) {
        int p = touched[t];
        if (count[p] > 0) {
          push(p);
        }
      }
    }

    /** Replaces a b at {@code p} by z if the pair is still there, updating neighbour pairs. */
    private void mergeAt(int p, int a, int b, int z) {
      int[] c = corpus;
      if (c[p] != a) {
        return;
      }
      int la = tokenLength[a];
      int q = p + la;
      if (c[q] != b) {
        return;
      }
      int lb = tokenLength[b];
      int r = q + lb; // first base after the pair: next token or separator
      int before = c[p - 1];
      if (before != SEPARATOR) {
        int x = before >= 0 ? before : -before - 2;
        int xStart = p - tokenLength[x];
        change(x, a, -1, 0);
        change(x, z, +1, xStart);
      }
      int y = c[r];
      if (y != SEPARATOR) {
        change(b, y, -1, 0);
        change(z, y, +1, p);
      }
      if (la > 1) {
        c[p + la - 1] = INTERIOR;
      }
      c[q] = INTERIOR;
      c[p] = z;
      c[r - 1] = -z - 2;
    }

    private void change(int a, int b, int delta, int position) {
      int p = pairOf(a, b);
      count[p] += delta;
      if (delta > 0) {
        int[] list = positions[p];
        int n = positionCount[p];
        if (list == null) {
          list = positions[p] = new int[4];
        } else if (n == list.length) {
          list = positions[p] = Arrays.copyOf(list, n + (n >> 1) + 4);
        }
        list[n] = position;
        positionCount[p] = n + 1;
        if (touchedStamp[p] != stamp) {
          touchedStamp[p] = stamp;
          if (touchedCount == touched.length) {
            touched = Arrays.copyOf(touched, touchedCount * 2);
          }
          touched[touchedCount++] = p;
        }
      }
    }
  }

  /** Open-addressing map from a pair key to its dense index; grows as pairs appear. */
  private static final class PairIndex {
    private long[] keys = new long[1 << 12];
    private int[] values = new int[1 << 12];
    private int size;

    PairIndex() {
      Arrays.fill(keys, -1L);
    }

    int get(long key) {
      int mask = keys.length - 1;
      int s = slot(key, mask);
      while (true) {
        long k = keys[s];
        if (k == key) {
          return values[s];
        }
        if (k == -1L) {
          return -1;
        }
        s = (s + 1) & mask;
      }
    }

    void put(long key, int value) {
      if (2 * (size + 1) > keys.length) {
        grow();
      }
      int mask = keys.length - 1;
      int s = slot(key, mask);
      while (keys[s] != -1L && keys[s] != key) {
        s = (s + 1) & mask;
      }
      if (keys[s] == -1L) {
        size++;
      }
      keys[s] = key;
      values[s] = value;
    }

    private static int slot(long key, int mask) {
      return (int) ((key * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }

    private void grow() {
      long[] oldKeys = keys;
      int[] oldValues = values;
      keys = new long[oldKeys.length * 2];
      values = new int[oldKeys.length * 2];
      Arrays.fill(keys, -1L);
      size = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldKeys[i] != -1L) {
          put(oldKeys[i], oldValues[i]);
        }
      }
    }
  }
}
