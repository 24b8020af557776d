package io.dnalab.data;

import java.util.List;
import java.util.Map;

/**
 * One annotated feature of a contig (a CDS, gene, tRNA...).
 *
 * @param type the feature key as written ({@code CDS}, {@code gene}, ...)
 * @param parts the intervals of the feature in ascending order (several for a spliced CDS);
 *     0-based, half-open
 * @param partial whether the annotation says the feature extends beyond what is given (GenBank
 *     {@code <} / {@code >}, GFF3 {@code partial=true}, {@code start_range}/{@code end_range})
 * @param qualifiers selected qualifiers / attributes (GenBank {@code /translation} is dropped)
 * @param line the line of the file where the feature starts, for messages
 */
public record Feature(String type, Strand strand, List<Interval> parts, boolean partial,
    Map<String, String> qualifiers, long line) {

  public Feature {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("feature without location");
    }
    parts = List.copyOf(parts);
    qualifiers = Map.copyOf(qualifiers);
  }

  /** The 0-based first position covered. */
  public int start() {
    return parts.get(0).start();
  }

  /** One past the last position covered. */
  public int end() {
    return parts.get(parts.size() - 1).end();
  }

  /** The span from {@link #start()} to {@link #end()}, introns included. */
  public Interval span() {
    return new Interval(start(), end());
  }
}
