package io.dnalab.data;

import java.util.List;

/** One contig (or chromosome) of an annotated genome: its bases (upper case) and features. */
public record AnnotatedContig(String id, String sequence, List<Feature> features) {
  public AnnotatedContig {
    features = List.copyOf(features);
  }

  public int length() {
    return sequence.length();
  }
}
