package io.dnalab.checkpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The named tensors of a checkpoint, in file order, with the file(s) they came from. {@link
 * #requireExactly} checks them against the layout a model family expects, so a checkpoint with a
 * missing, extra or wrongly shaped tensor fails naming the file and every tensor at fault.
 */
public final class StateDict {
  private final Map<String, CheckpointTensor> tensors;
  private final String source;

  /**
   * @param tensors by name, in file order
   * @param source names the weights in errors: a file, or an index file and its shards
   */
  StateDict(Map<String, CheckpointTensor> tensors, String source) {
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    this.source = source;
  }

  /** Tensor names in file order. */
  public Set<String> names() {
    return tensors.keySet();
  }

  public int size() {
    return tensors.size();
  }

  /** What the weights were read from, as errors name it. */
  public String source() {
    return source;
  }

  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /** The named tensor; an error naming the source and the tensor if there is none. */
  public CheckpointTensor tensor(String name) {
    CheckpointTensor t = tensors.get(name);
    if (t == null) {
      throw new CheckpointFileException(source + ": no tensor " + name);
    }
    return t;
  }

  /**
   * Checks that the checkpoint holds exactly the expected tensors with the expected shapes and
   * floating-point values. All problems are reported at once, each naming its tensor.
   *
   * @param expected shapes by tensor name
   * @param ignored names present in some exports that carry no weights (e.g. BERT's {@code
   *     embeddings.position_ids} buffer); they may be present or absent
   */
  public void requireExactly(Map<String, long[]> expected, Set<String> ignored) {
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      CheckpointTensor t = tensors.get(e.getKey());
      if (t == null) {
        problems.add("missing tensor " + e.getKey() + " " + Arrays.toString(e.getValue()));
      } else if (!Arrays.equals(t.shape(), e.getValue())) {
        problems.add("tensor " + e.getKey() + " has shape " + Arrays.toString(t.shape())
            + ", expected " + Arrays.toString(e.getValue()) + location(t));
      } else if (!t.dtype().isFloatingPoint()) {
        problems.add("tensor " + e.getKey() + " is " + t.dtype() + ", expected a floating type" + location(t));
      }
    }
    Set<String> extra = new LinkedHashSet<>(tensors.keySet());
    extra.removeAll(expected.keySet());
    extra.removeAll(ignored);
    for (String name : extra) {
      problems.add("unexpected tensor " + name + " " + Arrays.toString(tensors.get(name).shape()) + location(tensors.get(name)));
    }
    if (!problems.isEmpty()) {
      throw new CheckpointFileException(source + ": does not match the expected layout (" + problems.size()
          + (problems.size() == 1 ? " problem" : " problems") + "):\n  " + String.join("\n  ", problems));
    }
  }

  /** For sharded weights, which shard a tensor is in. */
  private String location(CheckpointTensor t) {
    return source.equals(t.file().toString()) ? "" : " (in " + t.file().getFileName() + ")";
  }
}
