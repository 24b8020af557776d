package io.dnalab.tokenize;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Token strings and their ids. Immutable. Ids may have gaps (as in some Hugging Face files). */
public final class Vocabulary {
  private final String[] tokens;
  private final Map<String, Integer> ids;
  private final int count;

  /** A vocabulary whose ids are the list positions. */
  public static Vocabulary of(List<String> tokensInIdOrder) {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < tokensInIdOrder.size(); i++) {
      if (map.put(tokensInIdOrder.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate token " + tokensInIdOrder.get(i));
      }
    }
    return new Vocabulary(map);
  }

  /** A vocabulary from token to id; ids must be distinct and non-negative. */
  public Vocabulary(Map<String, Integer> tokenToId) {
    int max = -1;
    for (int id : tokenToId.values()) {
      if (id < 0) {
        throw new IllegalArgumentException("negative token id " + id);
      }
      max = Math.max(max, id);
    }
    tokens = new String[max + 1];
    ids = new HashMap<>(tokenToId.size() * 2);
    for (Map.Entry<String, Integer> e : tokenToId.entrySet()) {
      if (tokens[e.getValue()] != null) {
        throw new IllegalArgumentException(
            "tokens " + tokens[e.getValue()] + " and " + e.getKey() + " share id " + e.getValue());
      }
      tokens[e.getValue()] = e.getKey();
      ids.put(e.getKey(), e.getValue());
    }
    count = tokenToId.size();
  }

  /** One more than the largest id: the embedding table size a model needs. */
  public int size() {
    return tokens.length;
  }

  /** Number of tokens (equal to {@link #size()} unless ids have gaps). */
  public int count() {
    return count;
  }

  /** The token of {@code id}, or null when there is none. */
  public String token(int id) {
    return id >= 0 && id < tokens.length ? tokens[id] : null;
  }

  /** The id of {@code token}, or -1. */
  public int id(String token) {
    Integer id = ids.get(token);
    return id == null ? -1 : id;
  }

  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /** Tokens in id order (null where ids have gaps). */
  public List<String> tokens() {
    return Collections.unmodifiableList(Arrays.asList(tokens));
  }

  /** Token to id, in id order. */
  public Map<String, Integer> asMap() {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i] != null) {
        map.put(tokens[i], i);
      }
    }
    return Collections.unmodifiableMap(map);
  }
}
