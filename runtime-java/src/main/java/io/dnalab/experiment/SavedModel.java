package io.dnalab.experiment;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dnalab.data.LabeledSequence;
import io.dnalab.data.SequenceTask;
import io.dnalab.spec.ExperimentSpec;
import io.dnalab.spec.ModelSpec;
import io.dnalab.spec.SpecJson;
import io.dnalab.spec.TokenizerSpec;
import io.dnalab.tokenize.Tokenizers;
import io.dnalab.train.FineTuneConfig;
import io.dnalab.train.FineTuner;
import io.dnalab.train.SequenceEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fine-tuned model kept by {@code finetune { saveModel() }} in the artifact store under its
 * run's key (kind {@value #KIND}): everything {@code dnalab predict} needs to score new sequences
 * as the run scored its test split.
 *
 * <p>Folder: {@value #DESCRIPTION_FILE} (model spec, tokenizer spec, task, class names, the input
 * length the model was built for, the batch the run scored with), {@value #PARAMETERS_FILE}
 * (every parameter of encoder and head, batch-norm statistics included, as
 * {@link FineTuner#writeParameters} writes them), and {@value #TOKENIZER_FOLDER}/ holding a copy
 * of the trained tokenizer's files where the tokenizer was trained (a tokenizer built from its
 * spec, k-mers or single nucleotides, needs none; a {@code tokenizer.json} file is read from the
 * path its spec names).
 *
 * @param classes class names by label index
 * @param maxLength the most ids per sequence the model was built for (the run's longest)
 * @param batchSize the batch the run scored dev and test with
 * @param maxTokens the recipe's token cap the run cut its BPE inputs to (0: none); new inputs are
 *     cut the same way, so a prediction reads what training read
 */
public record SavedModel(Path folder, String runKey, String task, ModelSpec model,
    TokenizerSpec tokenizer, List<String> classes, int maxLength, int batchSize, int maxTokens) {

  /** The artifact kind of saved models. */
  public static final String KIND = "model";
  public static final String DESCRIPTION_FILE = "saved-model.json";
  public static final String PARAMETERS_FILE = "parameters.bin";
  public static final String TOKENIZER_FOLDER = "tokenizer";

  private static final ObjectMapper JSON = new ObjectMapper();

  public SavedModel {
    classes = List.copyOf(classes);
  }

  /** A sequence longer than the model was built for. */
  public static final class InputTooLong extends IllegalArgumentException {
    InputTooLong(String message) {
      super(message);
    }
  }

  public int numClasses() {
    return classes.size();
  }

  /**
   * Writes a run's model into {@code folder}: its kept parameters and what rebuilds the model
   * and its input ({@code trainedTokenizer}: the trained tokenizer's folder, null when the
   * tokenizer needs no training).
   */
  static void write(Path folder, String runKey, ExperimentSpec.Cell cell, Path trainedTokenizer,
      SequenceTask task, SequenceEncoder encoder, FineTuneConfig config, float[][] parameters)
      throws IOException {
    FineTuner.writeParameters(folder.resolve(PARAMETERS_FILE), parameters);
    if (trainedTokenizer != null) {
      Path target = Files.createDirectories(folder.resolve(TOKENIZER_FOLDER));
      try (Stream<Path> files = Files.list(trainedTokenizer)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          if (Files.isRegularFile(file)) {
            Files.copy(file, target.resolve(file.getFileName()));
          }
        }
      }
    }
    List<String> classes = new ArrayList<>();
    for (int k = 0; k < task.numClasses(); k++) {
      classes.add(Integer.toString(k)); // tasks carry label indices only
    }
    ObjectNode description = JSON.createObjectNode();
    description.put("runKey", runKey).put("task", cell.task().id());
    description.set("model", JSON.readTree(SpecJson.writeModel(cell.model())));
    description.set("tokenizer", JSON.readTree(SpecJson.writeTokenizer(cell.tokenizer())));
    classes.forEach(description.putArray("classes")::add);
    description.put("maxLength", maxLength(task, encoder, config));
    description.put("batchSize", config.evalBatchSize());
    description.put("maxTokens", config.maxTokens());
    Files.writeString(folder.resolve(DESCRIPTION_FILE),
        JSON.writerWithDefaultPrettyPrinter().writeValueAsString(description));
  }

  /** The most ids of a sequence the run read: the length {@link FineTuner#run} built for. */
  private static int maxLength(SequenceTask task, SequenceEncoder encoder,
      FineTuneConfig config) {
    int max = 0;
    SequenceEncoder capped = encoder.capped(config.maxTokens());
    for (List<LabeledSequence> split : List.of(FineTuner.trainSubset(task.train(), config),
        task.dev(), task.test())) {
      for (LabeledSequence example : split) {
        max = Math.max(max, capped.encode(example.sequence()).length);
      }
    }
    return max;
  }

  /** The model saved in {@code folder}. */
  public static SavedModel read(Path folder) {
    Path file = folder.resolve(DESCRIPTION_FILE);
    try {
      JsonNode node = JSON.readTree(Files.readString(file));
      List<String> classes = new ArrayList<>();
      node.path("classes").forEach(c -> classes.add(c.asText()));
      return new SavedModel(folder, node.path("runKey").asText(), node.path("task").asText(),
          SpecJson.readModel(node.path("model").toString(), file.toString()),
          SpecJson.readTokenizer(node.path("tokenizer").toString(), file.toString()), classes,
          node.path("maxLength").asInt(), node.path("batchSize").asInt(),
          node.path("maxTokens").asInt(0));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read saved model " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Class probabilities of {@code sequences} (input order, named in errors by {@code names}),
   * {@code batchSize} at a time (0: the run's own batch, which reproduces its test
   * probabilities).
   *
   * @return (N, K) softmax probabilities
   */
  public float[][] predict(List<String> names, List<String> sequences, int batchSize,
      Device device) {
    Path trained = folder.resolve(TOKENIZER_FOLDER);
    SequenceEncoder encoder = SequenceEncoder.of(tokenizer, Tokenizers.forStage(tokenizer,
        Files.isDirectory(trained) ? trained : null)).capped(maxTokens);
    for (int i = 0; i < sequences.size(); i++) {
      int ids = encoder.encode(sequences.get(i)).length;
      if (ids > maxLength) {
        // Models with positions are built for a length; the run never saw longer inputs.
        throw new InputTooLong(names.get(i) + ": " + sequences.get(i).length()
            + " bases encode to " + ids + " ids, more than the " + maxLength + " the model was"
            + " built for (the longest sequence of task " + task + "); cut it to length");
      }
    }
    try {
      return new FineTuner(encoder, device).predict(model, numClasses(), maxLength,
          folder.resolve(PARAMETERS_FILE), sequences, batchSize > 0 ? batchSize : this.batchSize);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the parameters of saved model " + folder
          + ": " + e.getMessage(), e);
    }
  }
}
