package io.dnalab.tokenize;

import java.util.Arrays;

/**
 * A linear-time BPE encoder that gives the same tokens as merging by rank, for "proper" BPE
 * vocabularies (every trained one): each token made by exactly one merge, every merge ranking
 * after the merges that make its parts, and every token being its own encoding. The idea is the
 * one of GitHub's {@code bpe} crate (van Antwerpen and Hendrey, "backtracking encoder"):
 *
 * <ul>
 *   <li>a tokenization is the BPE result exactly when every pair of adjacent tokens is
 *       <i>compatible</i>: encoding the two tokens' bases alone gives back those two tokens;
 *   <li>compatibility of a pair is decided from the merge table alone ({@link #compatible}):
 *       undo the later-made of the two tokens one merge at a time and check that no merge across
 *       the border would have ranked before it (equal ranks: the left one wins, as in BPE);
 *   <li>the encoder takes the longest token matching at each position (a trie walk), and when the
 *       pair with the previous token is not compatible tries the next shorter prefix token, or
 *       backtracks; positions from which no continuation exists are remembered in a bit set.
 * </ul>
 *
 * DNA BPE has about one token per 5 bases, so this costs a trie walk and a few merge-table lookups
 * per token instead of a queue operation per merge (about four per token). {@link BpeTokenizer}
 * uses it only after checking the conditions above on its vocabulary; tests compare it with the
 * rank-merging encoders on real and random sequences.
 */
final class BpeBacktracking {
  private final BpeTokenizer.PairRanks ranks;
  /** Merge rank + 1 of the merge that makes each token; 0 for single bases and [UNK]. */
  private final int[] key;
  private final int[] splitLeft;
  private final int[] splitRight;
  /** Bases covered by a token ([UNK] covers one). */
  private final int[] length;
  /** The longest token that is a proper prefix of each token, or -1. */
  private final int[] prefix;
  private final int unk;
  // Trie of the tokens BPE can produce, over an alphabet of letters.
  private final int alphabetSize;
  /** Input byte to trie letter index; -1 for a letter outside the trie, -2 for a non-letter. */
  private final int[] letterOfByte;
  private final int[] child;
  private final int[] tokenAt;
  /**
   * The trie walk over the first {@link #JUMP} bases in one step, for positions followed by at
   * least that many A/C/G/T: indexed by their 2-bit code, the node reached ({@code -1} when the walk
   * ends earlier) and the longest token seen on the way. Saves most of the walk's dependent loads.
   */
  private static final int JUMP = 6;

  private final int[] jumpNode;
  private final int[] jumpBest;

  /**
   * Memo of {@link #compatible} for vocabularies up to {@link #MEMO_MAX_VOCAB} tokens: two bits per
   * pair (known, compatible) in one word, so that a racing update between threads can only lose a
   * memo, never store a wrong one (every word written is an OR of correct bits). 4 MB at 4096.
   */
  private final long[] memo;

  private final int memoShift;
  static final int MEMO_MAX_VOCAB = 8192;

  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

  private static final class State {
    int[] stack = new int[256];
    long[] reachable = new long[16];
  }

  /**
   * Builds the encoder, or returns null when the vocabulary is not one it is exact for.
   *
   * @param merges {@code [left, right, result]} by rank, shadowed duplicates included
   * @param normalizer input byte to normalized letter ({@link DnaAlphabet#INVALID} for non-letters)
   */
  static BpeBacktracking create(Vocabulary vocabulary, int[][] merges, BpeTokenizer.PairRanks ranks,
      int unk, byte[] normalizer, int[] charId) {
    int size = vocabulary.size();
    int[] key = new int[size];
    int[] left = new int[size];
    int[] right = new int[size];
    int[] length = new int[size];
    boolean[] producible = new boolean[size];
    for (int id = 0; id < size; id++) {
      left[id] = right[id] = id;
      String t = vocabulary.token(id);
      if (t != null && t.length() == 1 && id != unk) {
        producible[id] = true; // a single letter: a base symbol
        length[id] = 1;
      }
    }
    if (unk < 0) {
      return null;
    }
    length[unk] = 1;
    for (int r = 0; r < merges.length; r++) {
      int a = merges[r][0];
      int b = merges[r][1];
      int z = merges[r][2];
      if (ranks.get(a, b) != r) {
        continue; // shadowed by a later duplicate: never applied
      }
      if (key[z] != 0 || producible[z] && length[z] == 1) {
        return null; // a token made twice, or a base made by a merge
      }
      if (!producible[a] || !producible[b] || key[a] > r || key[b] > r) {
        return null; // a part made after (or never): not rank-monotone
      }
      key[z] = r + 1;
      left[z] = a;
      right[z] = b;
      length[z] = length[a] + length[b];
      producible[z] = true;
    }
    // Trie of producible tokens.
    int[] letterIndex = new int[256];
    Arrays.fill(letterIndex, -1);
    int letters = 0;
    int nodes = 1;
    for (int id = 0; id < size; id++) {
      if (producible[id]) {
        String t = vocabulary.token(id);
        nodes += t.length();
        for (int i = 0; i < t.length(); i++) {
          char c = t.charAt(i);
          if (c > 0xFF) {
            return null;
          }
          if (letterIndex[c] < 0) {
            letterIndex[c] = letters++;
          }
        }
      }
    }
    int[] child = new int[nodes * letters];
    Arrays.fill(child, -1);
    int[] tokenAt = new int[nodes];
    Arrays.fill(tokenAt, -1);
    int used = 1;
    int[] prefix = new int[size];
    Arrays.fill(prefix, -1);
    for (int id = 0; id < size; id++) {
      if (!producible[id]) {
        continue;
      }
      String t = vocabulary.token(id);
      int node = 0;
      for (int i = 0; i < t.length(); i++) {
        int slot = node * letters + letterIndex[t.charAt(i)];
        if (child[slot] < 0) {
          child[slot] = used++;
        }
        node = child[slot];
      }
      tokenAt[node] = id;
    }
    for (int id = 0; id < size; id++) {
      if (!producible[id]) {
        continue;
      }
      String t = vocabulary.token(id);
      int node = 0;
      for (int i = 0; i < t.length() - 1; i++) {
        node = child[node * letters + letterIndex[t.charAt(i)]];
        if (tokenAt[node] >= 0) {
          prefix[id] = tokenAt[node];
        }
      }
    }
    int[] letterOfByte = new int[256];
    for (int b = 0; b < 256; b++) {
      byte n = normalizer[b];
      letterOfByte[b] = n == DnaAlphabet.INVALID ? -2 : letterIndex[n & 0xFF];
      if (letterOfByte[b] >= 0 && charId[b] < 0) {
        return null; // a letter inside tokens that is not a token itself
      }
    }
    BpeBacktracking encoder = new BpeBacktracking(ranks, key, left, right, length, prefix, unk, letters,
        letterOfByte, Arrays.copyOf(child, used * letters), Arrays.copyOf(tokenAt, used));
    return encoder.isProper(vocabulary, producible) ? encoder : null;
  }

  private BpeBacktracking(BpeTokenizer.PairRanks ranks, int[] key, int[] splitLeft, int[] splitRight, int[] length,
      int[] prefix, int unk, int alphabetSize, int[] letterOfByte, int[] child, int[] tokenAt) {
    this.ranks = ranks;
    this.key = key;
    this.splitLeft = splitLeft;
    this.splitRight = splitRight;
    this.length = length;
    this.prefix = prefix;
    this.unk = unk;
    this.alphabetSize = alphabetSize;
    this.letterOfByte = letterOfByte;
    this.child = child;
    this.tokenAt = tokenAt;
    int[] acgt = new int[4];
    boolean jumpable = true;
    for (int c = 0; c < 4; c++) {
      acgt[c] = letterOfByte["ACGT".charAt(c)];
      jumpable &= acgt[c] >= 0;
    }
    if (jumpable) {
      jumpNode = new int[1 << (2 * JUMP)];
      jumpBest = new int[1 << (2 * JUMP)];
      for (int code = 0; code < jumpNode.length; code++) {
        int node = 0;
        int best = -1;
        for (int j = 0; j < JUMP && node >= 0; j++) {
          node = child[node * alphabetSize + acgt[(code >>> (2 * (JUMP - 1 - j))) & 3]];
          if (node >= 0 && tokenAt[node] >= 0) {
            best = tokenAt[node];
          }
        }
        jumpNode[code] = node;
        jumpBest[code] = best;
      }
    } else {
      jumpNode = null;
      jumpBest = null;
    }
    int size = key.length;
    memoShift = 32 - Integer.numberOfLeadingZeros(Math.max(1, size - 1));
    memo = size <= MEMO_MAX_VOCAB ? new long[(int) (((long) 1 << (2 * memoShift)) * 2 / 64) + 1] : null;
  }

  /** Every producible token is its own encoding (checked with this encoder: only then is it exact). */
  private boolean isProper(Vocabulary vocabulary, boolean[] producible) {
    IntList out = new IntList(64);
    for (int id = 0; id < producible.length; id++) {
      if (producible[id] && key[id] > 0) {
        byte[] bytes = vocabulary.token(id).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        out.clear();
        encode(bytes, 0, bytes.length, out);
        if (out.size() != 1 || out.get(0) != id) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Whether BPE of the bases of {@code t1} followed by {@code t2} gives exactly {@code t1 t2}.
   * Undo the later-made token's merge step by step; a merge across the border of lower rank (or,
   * when undoing the right token, of equal rank: the left occurrence wins) would have been applied
   * first, so the pair cannot both exist.
   */
  boolean compatible(int t1, int t2) {
    long[] m = memo;
    if (m == null) {
      return computeCompatible(t1, t2);
    }
    long bit = (((long) t1 << memoShift) | t2) << 1; // known bit; the next bit holds the answer
    int word = (int) (bit >>> 6);
    int shift = (int) (bit & 63);
    long w = m[word];
    if ((w & (1L << shift)) != 0) {
      return (w & (2L << shift)) != 0;
    }
    boolean answer = computeCompatible(t1, t2);
    m[word] |= (1L << shift) | (answer ? 2L << shift : 0L);
    return answer;
  }

  private boolean computeCompatible(int t1, int t2) {
    int limit = Integer.MAX_VALUE;
    while (true) {
      int r = ranks.get(t1, t2);
      if (r >= 0 && r + 1 < limit) {
        return false;
      }
      int k1 = key[t1];
      int k2 = key[t2];
      if (k1 > k2) {
        limit = k1;
        t1 = splitRight[t1];
      } else {
        if (k2 == 0) {
          return true;
        }
        limit = k2 + 1;
        t2 = splitLeft[t2];
      }
    }
  }

  /** The longest producible token at {@code pos}, [UNK] for an unknown letter. */
  private int longestMatch(byte[] seq, int from, int pos, int to) {
    int node = 0;
    int best = -1;
    int j = pos;
    if (jumpNode != null && to - pos >= JUMP) {
      int code = 0;
      for (int k = 0; k < JUMP; k++) {
        code = (code << 2) | DnaAlphabet.code(seq[pos + k]);
      }
      if (code >= 0) { // a base outside A/C/G/T (or lowercase) makes it negative: walk instead
        best = jumpBest[code];
        node = jumpNode[code];
        if (node < 0) {
          return best >= 0 ? best : unk;
        }
        j = pos + JUMP;
      }
    }
    for (; j < to; j++) {
      int letter = letterOfByte[seq[j] & 0xFF];
      if (letter < 0) {
        if (letter == -2) {
          throw DnaAlphabet.invalidByte(seq, from, j);
        }
        break;
      }
      node = child[node * alphabetSize + letter];
      if (node < 0) {
        break;
      }
      int t = tokenAt[node];
      if (t >= 0) {
        best = t;
      }
    }
    return best >= 0 ? best : unk;
  }

  void encode(byte[] seq, int from, int to, IntList out) {
    int n = to - from;
    if (n == 0) {
      return;
    }
    State st = STATE.get();
    int words = (n >>> 6) + 1;
    if (st.reachable.length < words) {
      st.reachable = new long[words * 2];
    }
    long[] reachable = st.reachable; // bit i: position from + i may still start a valid continuation
    Arrays.fill(reachable, 0, words, -1L);
    int[] stack = st.stack;
    int depth = 0;
    int pos = from;
    int next = longestMatch(seq, from, pos, to);
    while (next >= 0) {
      int token = next;
      int last = depth > 0 ? stack[depth - 1] : -1;
      while (true) {
        int end = pos + length[token];
        int bit = end - from;
        if ((reachable[bit >>> 6] & (1L << bit)) != 0 && (last < 0 || compatible(last, token))) {
          if (depth == stack.length) {
            stack = st.stack = Arrays.copyOf(stack, depth * 2);
          }
          stack[depth++] = token;
          pos = end;
          next = end < to ? longestMatch(seq, from, end, to) : -1;
          break;
        }
        int shorter = prefix[token];
        if (shorter >= 0) {
          token = shorter;
          continue;
        }
        int here = pos - from;
        reachable[here >>> 6] &= ~(1L << here);
        depth--;
        pos -= length[last];
        next = last;
        break;
      }
    }
    out.ensureCapacity(out.size() + depth);
    for (int i = 0; i < depth; i++) {
      out.add(stack[i]);
    }
    if (stack.length > TRIM_ABOVE) { // a chromosome-sized record: do not keep its buffers per thread
      st.stack = new int[256];
      st.reachable = new long[16];
    }
  }

  /** Per-thread buffers larger than this (in entries) are dropped after use. */
  static final int TRIM_ABOVE = 1 << 20;
}
