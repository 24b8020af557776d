package io.dnalab.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A test-set score published for a model on a benchmark task, with where it was published, so a
 * report can show where its own numbers sit. MCC is in points (× 100), as the papers print it.
 */
public record PublishedResult(String model, String task, double mcc, String source) {

  private static final String GUE_RESOURCE = "published-gue-mcc.csv";

  /** Published GUE test MCC (DNABERT-2 paper, Table 4) for the tasks dnalab knows. */
  public static List<PublishedResult> gue() {
    try (InputStream in = PublishedResult.class.getResourceAsStream(GUE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("resource " + GUE_RESOURCE + " missing from the dnalab jar");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + GUE_RESOURCE, e);
    }
  }

  /** DNABERT-2's published test MCC on a GUE task, if the paper reports one. */
  public static Optional<PublishedResult> dnabert2(String gueTask) {
    return gue().stream()
        .filter(r -> r.model().equals("DNABERT-2") && r.task().equals(gueTask))
        .findFirst();
  }

  // The file is ours and simple: four columns, the last one quoted.
  private static List<PublishedResult> parse(BufferedReader reader) throws IOException {
    List<PublishedResult> results = new ArrayList<>();
    String header = reader.readLine();
    if (!"model,task,mcc,source".equals(header)) {
      throw new IllegalStateException(GUE_RESOURCE + ": unexpected header " + header);
    }
    String line;
    int lineNumber = 1;
    while ((line = reader.readLine()) != null) {
      lineNumber++;
      int quote = line.indexOf(",\"");
      String[] fields = line.substring(0, quote).split(",");
      if (fields.length != 3 || !line.endsWith("\"")) {
        throw new IllegalStateException(GUE_RESOURCE + ":" + lineNumber + ": malformed line " + line);
      }
      String source = line.substring(quote + 2, line.length() - 1);
      results.add(new PublishedResult(fields[0], fields[1], Double.parseDouble(fields[2]), source));
    }
    return List.copyOf(results);
  }
}
