package io.dnalab.result;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a saved model ({@code finetune { saveModel() }}) predicted for new sequences, in input
 * order: each sequence's id and length, the predicted class (the most probable, the lowest index
 * on a tie, as {@link Predictions#argmax}) and the probability of every class.
 *
 * @param runKey the run whose model predicted
 * @param classes class names by index: the columns of {@link #probabilities}
 * @param lengths bases per sequence
 * @param probabilities (N, K) softmax probabilities, float32 as the model computed them
 */
public record SequencePredictions(String runKey, List<String> classes, List<String> ids,
    int[] lengths, int[] predicted, float[][] probabilities) {

  public SequencePredictions {
    classes = List.copyOf(classes);
    ids = List.copyOf(ids);
    int n = ids.size();
    if (lengths.length != n || predicted.length != n || probabilities.length != n) {
      throw new IllegalArgumentException(n + " ids, " + lengths.length + " lengths, "
          + predicted.length + " predicted, " + probabilities.length + " probability rows;"
          + " each must have one per sequence");
    }
  }

  /** Predictions from class probabilities; the predicted class is their argmax. */
  public static SequencePredictions of(String runKey, List<String> classes, List<String> ids,
      List<String> sequences, float[][] probabilities) {
    int[] lengths = new int[sequences.size()];
    int[] predicted = new int[sequences.size()];
    for (int i = 0; i < lengths.length; i++) {
      lengths[i] = sequences.get(i).length();
      predicted[i] = Predictions.argmax(probabilities[i]);
    }
    return new SequencePredictions(runKey, classes, ids, lengths, predicted, probabilities);
  }

  public int size() {
    return ids.size();
  }

  /** The CSV header: {@code id,length,predicted,p_<class>...}. */
  public List<String> header() {
    List<String> header = new ArrayList<>(List.of("id", "length", "predicted"));
    classes.forEach(c -> header.add("p_" + c));
    return header;
  }

  /**
   * Writes one row per sequence under {@link #header}; a probability as its shortest decimal,
   * which parses back to the same float32.
   */
  public void writeCsv(Path file) {
    try (Writer out = new BufferedWriter(Files.newBufferedWriter(file,
        StandardCharsets.UTF_8))) {
      out.write(String.join(",", header()));
      out.write('\n');
      for (int i = 0; i < size(); i++) {
        out.write(csvField(ids.get(i)));
        out.write(',');
        out.write(Integer.toString(lengths[i]));
        out.write(',');
        out.write(csvField(classes.get(predicted[i])));
        for (float p : probabilities[i]) {
          out.write(',');
          out.write(Float.toString(p));
        }
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** A field quoted (RFC 4180) where it holds a comma, quote or line end. */
  private static String csvField(String value) {
    if (value.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
