package io.dnalab.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reads a checkpoint folder's weights, in the order {@code transformers} prefers them: {@code
 * model.safetensors}, {@code model.safetensors.index.json} (shards), {@code pytorch_model.bin},
 * {@code pytorch_model.bin.index.json}. Single files can also be read directly.
 */
public final class CheckpointWeights {
  private CheckpointWeights() {}

  private static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> WEIGHT_FILES = List.of(
      "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json");

  /** The weights of a checkpoint folder. */
  public static StateDict load(Path folder) {
    for (String name : WEIGHT_FILES) {
      Path file = folder.resolve(name);
      if (Files.isRegularFile(file)) {
        return name.endsWith(".index.json") ? loadSharded(file) : loadFile(file);
      }
    }
    List<String> present = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      files.map(p -> p.getFileName().toString()).sorted().forEach(present::add);
    } catch (IOException e) {
      throw new CheckpointFileException(folder + ": cannot list the folder: " + e.getMessage(), e);
    }
    throw new CheckpointFileException(folder + ": no weights: looked for " + String.join(", ", WEIGHT_FILES)
        + "; the folder holds " + (present.isEmpty() ? "nothing" : String.join(", ", present)));
  }

  /**
   * The files {@link #load(Path)} reads for a folder, in the order it reads them: one weight file,
   * or an index followed by its shards (sorted by name). What a content hash covers.
   */
  public static List<Path> files(Path folder) {
    for (String name : WEIGHT_FILES) {
      Path file = folder.resolve(name);
      if (Files.isRegularFile(file)) {
        if (!name.endsWith(".index.json")) {
          return List.of(file);
        }
        List<Path> files = new ArrayList<>();
        files.add(file);
        Set<String> shards = new TreeSet<>();
        loadShardNames(file).forEach(shards::add);
        shards.forEach(shard -> files.add(file.resolveSibling(shard)));
        return List.copyOf(files);
      }
    }
    load(folder); // throws the error that names what the folder holds
    throw new IllegalStateException("unreachable: " + folder);
  }

  private static List<String> loadShardNames(Path index) {
    List<String> names = new ArrayList<>();
    try {
      JsonNode weightMap = JSON.readTree(Files.readString(index)).get("weight_map");
      if (weightMap != null) {
        weightMap.forEach(node -> names.add(node.asText()));
      }
    } catch (IOException e) {
      throw new CheckpointFileException(index + ": cannot read: " + e.getMessage(), e);
    }
    return names;
  }

  /** One {@code .safetensors} or {@code pytorch_model.bin} file, chosen by its name. */
  public static StateDict loadFile(Path file) {
    return new StateDict(reader(file).apply(file), file.toString());
  }

  private static Function<Path, Map<String, CheckpointTensor>> reader(Path file) {
    return file.getFileName().toString().endsWith(".safetensors") ? Safetensors::read : TorchCheckpoint::read;
  }

  /**
   * Sharded weights: {@code {"metadata": {..}, "weight_map": {"TENSOR": "SHARD FILE", ..}}}. Every
   * shard must hold exactly the tensors the index assigns to it.
   */
  public static StateDict loadSharded(Path index) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(index));
    } catch (JsonProcessingException e) {
      throw new CheckpointFileException(index + ": not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new CheckpointFileException(index + ": cannot read: " + e.getMessage(), e);
    }
    JsonNode weightMap = root == null ? null : root.get("weight_map");
    if (weightMap == null || !weightMap.isObject() || weightMap.isEmpty()) {
      throw new CheckpointFileException(index + ": no \"weight_map\" object of tensor names to shard files");
    }
    Map<String, Set<String>> namesByShard = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = weightMap.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String shard = e.getValue().asText();
      if (!e.getValue().isTextual() || shard.contains("/") || shard.contains("\\")) {
        throw new CheckpointFileException(index + ": weight_map." + e.getKey() + " = " + e.getValue()
            + ": expected the file name of a shard beside the index");
      }
      namesByShard.computeIfAbsent(shard, s -> new LinkedHashSet<>()).add(e.getKey());
    }
    Map<String, CheckpointTensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Set<String>> e : namesByShard.entrySet()) {
      Path shard = index.resolveSibling(e.getKey());
      if (!Files.isRegularFile(shard)) {
        throw new CheckpointFileException(index + ": shard " + e.getKey() + " (holding "
            + e.getValue().iterator().next() + " and " + (e.getValue().size() - 1) + " more) is missing");
      }
      Map<String, CheckpointTensor> read = reader(shard).apply(shard);
      Set<String> missing = new TreeSet<>(e.getValue());
      missing.removeAll(read.keySet());
      Set<String> extra = new TreeSet<>(read.keySet());
      extra.removeAll(e.getValue());
      if (!missing.isEmpty()) {
        throw new CheckpointFileException(shard + ": does not hold tensor " + missing.iterator().next()
            + (missing.size() > 1 ? " (nor " + (missing.size() - 1) + " more)" : "") + ", which " + index.getFileName() + " places there");
      }
      if (!extra.isEmpty()) {
        throw new CheckpointFileException(shard + ": holds tensor " + extra.iterator().next()
            + (extra.size() > 1 ? " (and " + (extra.size() - 1) + " more)" : "") + ", which " + index.getFileName() + " does not list");
      }
      tensors.putAll(read);
    }
    return new StateDict(tensors, index + " and its " + namesByShard.size() + " shards");
  }
}
