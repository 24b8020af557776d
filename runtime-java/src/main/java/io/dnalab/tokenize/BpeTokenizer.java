package io.dnalab.tokenize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Byte-pair encoding with merges applied by rank exactly as Hugging Face {@code tokenizers}' BPE
 * model does ({@code Word::merge_all}): start from one symbol per base (a base outside the
 * vocabulary is {@code [UNK]}, fused with its neighbours when {@code fuse_unk}); repeatedly apply
 * the merge of lowest rank, the leftmost one first among equal ranks, until none applies. A whole
 * sequence is one word: DNA has no whitespace, and the pre-tokenizers a DNA tokenizer.json uses
 * ({@code null}, Whitespace, WhitespaceSplit, BertPreTokenizer) leave a run of letters whole.
 *
 * <p>Two implementations of that rule, chosen when the tokenizer is built:
 *
 * <ul>
 *   <li>{@link #mergeWithRankBuckets} when merges are <i>rank-monotone</i> (every merge ranks after
 *       all merges that produce its two parts; true of every trained BPE, HF's and ours). Then a
 *       merge can only create pairs of higher rank, so ranks can be visited in increasing order
 *       through a bitmap of non-empty per-rank buckets: O(1) per queue operation instead of
 *       Hugging Face's O(log n) binary heap. Positions of one rank are applied left to right
 *       (sorted) where they can overlap ({@code X X} pairs); other pairs cannot overlap, so their
 *       order does not change the result.
 *   <li>{@link #mergeWithHeap}, Hugging Face's algorithm on a primitive heap ordered by (rank,
 *       position), for any other merge list.
 * </ul>
 *
 * Both are tested to agree on random input with random merge lists.
 */
public final class BpeTokenizer extends AbstractTokenizer {

  /** Merges in rank order: {@code left[r] + right[r] -> result[r]} (token ids). */
  private final int[] left;
  private final int[] right;
  private final int[] result;

  private final PairRanks ranks;
  private final boolean monotone;
  /** The linear-time encoder, when the vocabulary is one it is exact for; else null. */
  private final BpeBacktracking backtracking;
  private final boolean fuseUnk;
  private final boolean ignoreMerges;
  private final byte[] normalizer;
  /** Input byte to the id of its one-letter token; UNK_SYMBOL when not in the vocabulary; INVALID_SYMBOL for non-letters. */
  private final int[] charId;
  /** True where every merge with rank r pairs two equal tokens (can overlap: applied left to right). */
  private final boolean[] selfPair;

  private static final int UNK_SYMBOL = -2;
  private static final int INVALID_SYMBOL = -3;

  private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

  /**
   * A BPE tokenizer from a vocabulary and merges in rank order (each merge as its two token
   * strings); the specials are found by name. The merged token of each pair must be in the
   * vocabulary, as Hugging Face requires.
   */
  public static BpeTokenizer of(Vocabulary vocabulary, List<String[]> merges) {
    SpecialTokens specials = SpecialTokens.find(vocabulary);
    return new BpeTokenizer(
        vocabulary,
        specials,
        mergeIds(vocabulary, merges, "merges"),
        false,
        false,
        DnaAlphabet.normalizationTable(),
        defaultOptions(specials));
  }

  /** Merge pairs as ids {@code [left, right, result]} by rank; {@code where} names them in errors. */
  static int[][] mergeIds(Vocabulary vocabulary, List<String[]> merges, String where) {
    int[][] ids = new int[merges.size()][];
    for (int r = 0; r < merges.size(); r++) {
      String a = merges.get(r)[0];
      String b = merges.get(r)[1];
      int ia = vocabulary.id(a);
      int ib = vocabulary.id(b);
      int iab = vocabulary.id(a + b);
      if (ia < 0 || ib < 0 || iab < 0) {
        String missing = ia < 0 ? a : ib < 0 ? b : a + b;
        throw new TokenizerFileException(
            where + "[" + r + "] = \"" + a + " " + b + "\": token \"" + missing + "\" is not in the vocabulary");
      }
      ids[r] = new int[] {ia, ib, iab};
    }
    return ids;
  }

  BpeTokenizer(
      Vocabulary vocabulary,
      SpecialTokens specials,
      int[][] merges,
      boolean fuseUnk,
      boolean ignoreMerges,
      byte[] normalizer,
      Options options) {
    super(vocabulary, specials, options);
    int m = merges.length;
    left = new int[m];
    right = new int[m];
    result = new int[m];
    for (int r = 0; r < m; r++) {
      left[r] = merges[r][0];
      right[r] = merges[r][1];
      result[r] = merges[r][2];
    }
    this.fuseUnk = fuseUnk;
    this.ignoreMerges = ignoreMerges;
    this.normalizer = normalizer;
    ranks = new PairRanks(m);
    // Later duplicates win, as in Hugging Face's HashMap built from the merge list.
    for (int r = 0; r < m; r++) {
      ranks.put(left[r], right[r], r);
    }
    selfPair = new boolean[m];
    for (int r = 0; r < m; r++) {
      selfPair[r] = left[r] == right[r];
    }
    monotone = isRankMonotone();
    charId = new int[256];
    for (int b = 0; b < 256; b++) {
      byte n = normalizer[b];
      if (n == DnaAlphabet.INVALID) {
        charId[b] = INVALID_SYMBOL;
      } else {
        int id = vocabulary.id(String.valueOf((char) (n & 0xFF)));
        charId[b] = id >= 0 ? id : UNK_SYMBOL;
      }
    }
    backtracking = monotone && !fuseUnk && !ignoreMerges
        ? BpeBacktracking.create(vocabulary, merges, ranks, specials.unk(), normalizer, charId)
        : null;
  }

  /** Every merge ranks after every merge producing one of its parts (see the class comment). */
  private boolean isRankMonotone() {
    int[] lastProducer = new int[vocabulary.size()];
    Arrays.fill(lastProducer, -1);
    for (int r = 0; r < result.length; r++) {
      if (ranks.get(left[r], right[r]) != r) {
        continue; // shadowed duplicate: never applied
      }
      lastProducer[result[r]] = Math.max(lastProducer[result[r]], r);
    }
    for (int r = 0; r < result.length; r++) {
      if (ranks.get(left[r], right[r]) != r) {
        continue;
      }
      if (lastProducer[left[r]] >= r || lastProducer[right[r]] >= r) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String type() {
    return "bpe";
  }

  @Override
  Tokenizer withOptions(Options options) {
    return new BpeTokenizer(this, options);
  }

  /** A copy with other options that shares the model (merge tables, trie, memo) with {@code model}. */
  private BpeTokenizer(BpeTokenizer model, Options options) {
    super(model.vocabulary, model.specials, options);
    left = model.left;
    right = model.right;
    result = model.result;
    ranks = model.ranks;
    monotone = model.monotone;
    backtracking = model.backtracking;
    fuseUnk = model.fuseUnk;
    ignoreMerges = model.ignoreMerges;
    normalizer = model.normalizer;
    charId = model.charId;
    selfPair = model.selfPair;
  }

  /** Merges as {@code [left, right, result]} ids in rank order. */
  int[][] merges() {
    int[][] out = new int[left.length][];
    for (int r = 0; r < left.length; r++) {
      out[r] = new int[] {left[r], right[r], result[r]};
    }
    return out;
  }

  /** Merges as token-string pairs in rank order. */
  public List<String[]> mergeTokens() {
    List<String[]> out = new ArrayList<>(left.length);
    for (int r = 0; r < left.length; r++) {
      out.add(new String[] {vocabulary.token(left[r]), vocabulary.token(right[r])});
    }
    return out;
  }

  public int mergeCount() {
    return left.length;
  }

  boolean fuseUnk() {
    return fuseUnk;
  }

  boolean ignoreMerges() {
    return ignoreMerges;
  }

  byte[] normalizer() {
    return normalizer;
  }

  /** True when the fast rank-bucket encoder is used (see the class comment). */
  public boolean rankMonotone() {
    return monotone;
  }

  /** True when the linear-time backtracking encoder is used (see {@link BpeBacktracking}). */
  public boolean backtracking() {
    return backtracking != null;
  }

  @Override
  public void encodeTo(byte[] sequence, int from, int to, IntList out) {
    if (backtracking != null) {
      backtracking.encode(sequence, from, to, out);
      return;
    }
    encodeByMerging(sequence, from, to, out);
  }

  /** Rank-bucket (or heap) merging, whatever the vocabulary; for tests. */
  int[] encodeByMerging(byte[] sequence) {
    IntList out = new IntList(sequence.length + 1);
    encodeByMerging(sequence, 0, sequence.length, out);
    return out.toArray();
  }

  private void encodeByMerging(byte[] sequence, int from, int to, IntList out) {
    Workspace ws = WORKSPACE.get();
    int n = initialSymbols(sequence, from, to, ws);
    if (n == 0) {
      return;
    }
    if (ignoreMerges && n == to - from) {
      int whole = vocabulary.id(normalizedString(sequence, from, to));
      if (whole >= 0) {
        out.add(whole);
        return;
      }
    }
    if (monotone) {
      mergeWithRankBuckets(ws, n);
    } else {
      mergeWithHeap(ws, n);
    }
    int size = out.size();
    out.ensureCapacity(size + n);
    int[] dst = out.array();
    int[] sym = ws.sym;
    int[] nxt = ws.nxt;
    for (int i = 0; i < n; i = nxt[i]) {
      dst[size++] = sym[i];
    }
    out.setSize(size);
    if (sym.length > BpeBacktracking.TRIM_ABOVE) { // do not keep a chromosome's buffers per thread
      WORKSPACE.remove();
    }
  }

  /** Same as {@link #encodeTo} but always with Hugging Face's heap algorithm; for tests. */
  int[] encodeWithHeap(byte[] sequence) {
    Workspace ws = WORKSPACE.get();
    int n = initialSymbols(sequence, 0, sequence.length, ws);
    mergeWithHeap(ws, n);
    IntList out = new IntList(n + 1);
    for (int i = 0; i < n; i = ws.nxt[i]) {
      out.add(ws.sym[i]);
    }
    return out.toArray();
  }

  private String normalizedString(byte[] sequence, int from, int to) {
    char[] chars = new char[to - from];
    for (int i = from; i < to; i++) {
      chars[i - from] = (char) (normalizer[sequence[i] & 0xFF] & 0xFF);
    }
    return new String(chars);
  }

  /** One symbol per base into {@code ws.sym}, with prev/next links; returns the symbol count. */
  private int initialSymbols(byte[] sequence, int from, int to, Workspace ws) {
    ws.ensure(to - from, result.length);
    int[] sym = ws.sym;
    int n = 0;
    int unk = specials.unk();
    boolean previousUnk = false;
    for (int i = from; i < to; i++) {
      int id = charId[sequence[i] & 0xFF];
      if (id < 0) {
        if (id == INVALID_SYMBOL) {
          throw DnaAlphabet.invalidByte(sequence, from, i);
        }
        if (unk < 0) {
          continue; // no [UNK]: Hugging Face drops the character
        }
        if (fuseUnk && previousUnk) {
          continue;
        }
        previousUnk = true;
        sym[n++] = unk;
        continue;
      }
      previousUnk = false;
      sym[n++] = id;
    }
    int[] prv = ws.prv;
    int[] nxt = ws.nxt;
    for (int i = 0; i < n; i++) {
      prv[i] = i - 1;
      nxt[i] = i + 1;
    }
    return n;
  }

  /** Rank-ordered merging for rank-monotone merges (see the class comment). Symbols at {@code sym}, end = n. */
  private void mergeWithRankBuckets(Workspace ws, int n) {
    int[] sym = ws.sym;
    int[] prv = ws.prv;
    int[] nxt = ws.nxt;
    int[] head = ws.head;
    long[] bits = ws.bits;
    int[] entryPos = ws.entryPos;
    int[] entryNext = ws.entryNext;
    int entries = 0;
    // Initial pairs, pushed right to left so that each bucket lists positions left to right.
    for (int i = n - 2; i >= 0; i--) {
      int r = ranks.get(sym[i], sym[i + 1]);
      if (r >= 0) {
        entryPos[entries] = i;
        entryNext[entries] = head[r];
        head[r] = entries++;
        bits[r >>> 6] |= 1L << r;
      }
    }
    int[] scratch = ws.scratch;
    int word = 0;
    int words = ws.bitWords;
    while (true) {
      while (word < words && bits[word] == 0) {
        word++;
      }
      if (word == words) {
        break;
      }
      int r = (word << 6) | Long.numberOfTrailingZeros(bits[word]);
      bits[word] &= ~(1L << r);
      int e = head[r];
      head[r] = -1;
      int a = left[r];
      int b = right[r];
      int z = result[r];
      if (selfPair[r]) {
        // X X pairs can overlap: apply them left to right, as the heap would.
        int count = 0;
        for (; e >= 0; e = entryNext[e]) {
          if (count == scratch.length) {
            scratch = ws.scratch = Arrays.copyOf(scratch, count * 2);
          }
          scratch[count++] = entryPos[e];
        }
        if (count > 1) {
          Arrays.sort(scratch, 0, count);
        }
        for (int s = 0; s < count; s++) {
          entries = applyMerge(ws, scratch[s], a, b, z, n, entries);
        }
      } else {
        for (; e >= 0; e = entryNext[e]) {
          entries = applyMerge(ws, entryPos[e], a, b, z, n, entries);
        }
      }
      entryPos = ws.entryPos;
      entryNext = ws.entryNext;
    }
  }

  /** Merges {@code a b -> z} at {@code pos} if that pair is still there; pushes the new pairs. */
  private int applyMerge(Workspace ws, int pos, int a, int b, int z, int n, int entries) {
    int[] sym = ws.sym;
    int[] nxt = ws.nxt;
    int q = nxt[pos];
    if (q >= n || sym[pos] != a || sym[q] != b) {
      return entries; // expired: the pair changed since it was queued
    }
    sym[pos] = z;
    sym[q] = -1;
    int[] prv = ws.prv;
    int after = nxt[q];
    nxt[pos] = after;
    if (after < n) {
      prv[after] = pos;
    }
    int before = prv[pos];
    if (before >= 0) {
      int r = ranks.get(sym[before], z);
      if (r >= 0) {
        entries = push(ws, r, before, entries);
      }
    }
    if (after < n) {
      int r = ranks.get(z, sym[after]);
      if (r >= 0) {
        entries = push(ws, r, pos, entries);
      }
    }
    return entries;
  }

  private static int push(Workspace ws, int rank, int pos, int entries) {
    if (entries == ws.entryPos.length) {
      ws.entryPos = Arrays.copyOf(ws.entryPos, entries * 2);
      ws.entryNext = Arrays.copyOf(ws.entryNext, entries * 2);
    }
    ws.entryPos[entries] = pos;
    ws.entryNext[entries] = ws.head[rank];
    ws.head[rank] = entries;
    ws.bits[rank >>> 6] |= 1L << rank;
    return entries + 1;
  }

  /**
   * Hugging Face's {@code Word::merge_all}: a min-heap of (rank, position); an entry whose pair
   * changed since it was pushed is skipped.
   */
  private void mergeWithHeap(Workspace ws, int n) {
    int[] sym = ws.sym;
    int[] prv = ws.prv;
    int[] nxt = ws.nxt;
    LongMinHeap heap = ws.heap;
    heap.clear();
    for (int i = 0; i + 1 < n; i++) {
      int r = ranks.get(sym[i], sym[i + 1]);
      if (r >= 0) {
        heap.push(((long) r << 32) | i);
      }
    }
    while (!heap.isEmpty()) {
      long top = heap.pop();
      int r = (int) (top >>> 32);
      int pos = (int) top;
      if (sym[pos] < 0) {
        continue;
      }
      int q = nxt[pos];
      if (q >= n) {
        continue;
      }
      if (ranks.get(sym[pos], sym[q]) != r) {
        continue;
      }
      int z = result[r];
      sym[pos] = z;
      sym[q] = -1;
      int after = nxt[q];
      nxt[pos] = after;
      if (after < n) {
        prv[after] = pos;
      }
      int before = prv[pos];
      if (before >= 0) {
        int r2 = ranks.get(sym[before], z);
        if (r2 >= 0) {
          heap.push(((long) r2 << 32) | before);
        }
      }
      if (after < n) {
        int r3 = ranks.get(z, sym[after]);
        if (r3 >= 0) {
          heap.push(((long) r3 << 32) | pos);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "BpeTokenizer[merges=" + left.length + ", " + describe() + "]";
  }

  /** Per-thread arrays, grown on demand and reused, so encoding allocates nothing per base. */
  private static final class Workspace {
    int[] sym = new int[0];
    int[] prv = new int[0];
    int[] nxt = new int[0];
    int[] entryPos = new int[0];
    int[] entryNext = new int[0];
    int[] scratch = new int[64];
    /** Bucket heads by rank; all -1 between calls (every bucket filled is emptied). */
    int[] head = new int[0];
    long[] bits = new long[0];
    int bitWords;
    final LongMinHeap heap = new LongMinHeap();

    void ensure(int length, int mergeCount) {
      if (sym.length < length) {
        int capacity = Math.max(length, sym.length + (sym.length >> 1));
        sym = new int[capacity];
        prv = new int[capacity];
        nxt = new int[capacity];
      }
      if (entryPos.length < 2 * length + 16) {
        entryPos = new int[Math.max(2 * length + 16, entryPos.length + (entryPos.length >> 1))];
        entryNext = new int[entryPos.length];
      }
      if (head.length < mergeCount) {
        head = new int[mergeCount];
        Arrays.fill(head, -1);
      }
      bitWords = (mergeCount + 63) >>> 6;
      if (bits.length < bitWords) {
        bits = new long[bitWords];
      }
    }
  }

  /** Open-addressing map from a pair of token ids to the rank of its merge. */
  static final class PairRanks {
    /**
     * Pairs of ids below 256 (the bases and the earliest, most frequent merges, which most lookups
     * hit) are read from a direct 256 x 256 table (256 KB) instead of hashing.
     */
    private static final int SMALL_BITS = 8;

    private static final int SMALL = 1 << SMALL_BITS;
    private final int[] small = new int[SMALL * SMALL];
    private final long[] keys;
    private final int[] values;
    private final int mask;
    private final int shift;

    PairRanks(int expected) {
      int capacity = Integer.highestOneBit(Math.max(16, expected * 3)) << 1;
      keys = new long[capacity];
      values = new int[capacity];
      Arrays.fill(keys, -1L);
      Arrays.fill(small, -1);
      mask = capacity - 1;
      shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private int slot(long key) {
      return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    void put(int a, int b, int rank) {
      if ((a | b) < SMALL) {
        small[(a << SMALL_BITS) | b] = rank;
      }
      long key = ((long) a << 32) | (b & 0xFFFFFFFFL);
      int s = slot(key);
      while (keys[s] != -1L && keys[s] != key) {
        s = (s + 1) & mask;
      }
      keys[s] = key;
      values[s] = rank;
    }

    /** The rank of merge {@code a b}, or -1. */
    int get(int a, int b) {
      if ((a | b) < SMALL) {
        return small[(a << SMALL_BITS) | b];
      }
      return getHashed(a, b);
    }

    private int getHashed(int a, int b) {
      long key = ((long) a << 32) | (b & 0xFFFFFFFFL);
      int s = slot(key);
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
  }

  /** A binary min-heap of longs. */
  static final class LongMinHeap {
    private long[] heap = new long[64];
    private int size;

    void clear() {
      size = 0;
    }

    boolean isEmpty() {
      return size == 0;
    }

    void push(long v) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (heap[parent] <= v) {
          break;
        }
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = v;
    }

    long pop() {
      long top = heap[0];
      long last = heap[--size];
      int i = 0;
      int half = size >>> 1;
      while (i < half) {
        int child = 2 * i + 1;
        if (child + 1 < size && heap[child + 1] < heap[child]) {
          child++;
        }
        if (last <= heap[child]) {
          break;
        }
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
      return top;
    }
  }
}
