package io.dnalab.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Streams the records of a GenBank flat file (plain or gzip) as {@link AnnotatedContig}s, one
 * record in memory at a time.
 *
 * <p>Reads the {@code LOCUS} name and length, every feature of the {@code FEATURES} table (with
 * locations {@code a..b}, {@code <a..>b}, single bases, {@code complement(...)}, {@code
 * join(...)}/{@code order(...)} nested in any order) and its qualifiers except {@code
 * /translation}, and the {@code ORIGIN} sequence. Errors (file, line, column, value): a record
 * that does not start with {@code LOCUS}, a location that cannot be parsed or lies outside the
 * sequence, a remote location ({@code ACC:1..5}), invalid bases, a sequence whose length differs
 * from the {@code LOCUS} line, a record without sequence, and a file that ends before {@code //}.
 */
public final class GenBankReader {
  /** Feature keys start in column 6, locations and qualifiers in column 22. */
  private static final int KEY_COLUMN = 5;
  private static final int VALUE_COLUMN = 21;

  private GenBankReader() {}

  /** What a GenBank file held. */
  public record Summary(String file, int records, long bases, int features, String sha256) {}

  public static Summary read(Path file, Consumer<AnnotatedContig> sink) {
    try (LineSource lines = new LineSource(file)) {
      int records = 0;
      long bases = 0;
      int features = 0;
      String line;
      while ((line = lines.next()) != null) {
        if (line.isBlank()) {
          continue;
        }
        if (!line.startsWith("LOCUS")) {
          throw lines.error(1, line, "expected a GenBank record starting with LOCUS");
        }
        AnnotatedContig contig = readRecord(lines, line);
        records++;
        bases += contig.length();
        features += contig.features().size();
        sink.accept(contig);
      }
      if (records == 0) {
        throw new DataFormatException(file.toString(), 0, 0, null, "no GenBank records");
      }
      return new Summary(file.toString(), records, bases, features, lines.sha256());
    }
  }

  public static List<AnnotatedContig> readAll(Path file) {
    List<AnnotatedContig> contigs = new ArrayList<>();
    read(file, contigs::add);
    return contigs;
  }

  private static AnnotatedContig readRecord(LineSource lines, String locusLine) {
    long locusLineNumber = lines.lineNumber();
    String[] tokens = locusLine.substring(5).strip().split("\\s+");
    if (tokens.length == 0 || tokens[0].isEmpty()) {
      throw lines.error(6, locusLine, "LOCUS line has no name");
    }
    String id = tokens[0];
    Integer declaredLength = null;
    if (tokens.length >= 3 && tokens[2].equals("bp")) {
      try {
        declaredLength = Integer.parseInt(tokens[1]);
      } catch (NumberFormatException e) {
        throw lines.error(locusLine.indexOf(tokens[1]) + 1, tokens[1],
            "LOCUS length is not an integer");
      }
    }
    List<PendingFeature> features = new ArrayList<>();
    BaseBuffer bases = new BaseBuffer();
    boolean inFeatures = false;
    boolean inOrigin = false;
    boolean sawOrigin = false;
    String line;
    while ((line = lines.next()) != null) {
      if (line.startsWith("//")) {
        return finish(lines, id, locusLineNumber, declaredLength, features, bases, sawOrigin);
      }
      if (inOrigin) {
        int bad = bases.append(line, 0, line.length(), true);
        if (bad >= 0) {
          throw SequenceValidator.invalidBase(line, line.charAt(bad), bases.length() + 1L,
              lines.name(), lines.lineNumber(), bad + 1);
        }
        continue;
      }
      if (!line.isEmpty() && line.charAt(0) != ' ') {
        inFeatures = line.startsWith("FEATURES");
        if (line.startsWith("ORIGIN")) {
          inOrigin = true;
          sawOrigin = true;
        } else if (line.startsWith("LOCUS")) {
          throw lines.error(1, line, "record '" + id + "' (line " + locusLineNumber
              + ") ends without its // line");
        }
        continue;
      }
      if (inFeatures && line.length() > KEY_COLUMN && line.startsWith("     ")
          && line.charAt(KEY_COLUMN) != ' ') {
        features.add(readFeature(lines, line));
      }
    }
    throw new DataFormatException(lines.name(), lines.lineNumber(), 0, null, "record '" + id
        + "' (line " + locusLineNumber + ") ends without its // line: the file is truncated");
  }

  /** A feature whose location is parsed but not yet checked against the sequence length. */
  private record PendingFeature(Feature feature, String location) {}

  private static PendingFeature readFeature(LineSource lines, String first) {
    long featureLine = lines.lineNumber();
    String key = first.substring(KEY_COLUMN, Math.min(first.length(), VALUE_COLUMN)).strip();
    StringBuilder location = new StringBuilder(first.length() > VALUE_COLUMN
        ? first.substring(VALUE_COLUMN).strip() : "");
    Map<String, String> qualifiers = new LinkedHashMap<>();
    String line;
    // Locations may wrap onto continuation lines until the parentheses balance.
    while (!balanced(location) && (line = lines.next()) != null) {
      if (!isContinuation(line) || line.strip().startsWith("/")) {
        throw lines.error(VALUE_COLUMN + 1, location.toString(),
            "feature location is not closed (unbalanced parentheses)");
      }
      location.append(line.strip());
    }
    String name = null;
    StringBuilder value = null;
    while ((line = lines.next()) != null) {
      if (!isContinuation(line)) {
        lines.pushBack(line);
        break;
      }
      String text = line.strip();
      if (value != null && !closedQuote(value)) {
        value.append(name.equals("translation") ? "" : " ").append(text);
        continue;
      }
      if (name != null) {
        putQualifier(qualifiers, name, value);
      }
      if (!text.startsWith("/")) {
        throw lines.error(VALUE_COLUMN + 1, text, "expected a /qualifier in feature " + key);
      }
      int eq = text.indexOf('=');
      name = eq < 0 ? text.substring(1) : text.substring(1, eq);
      value = eq < 0 ? new StringBuilder() : new StringBuilder(text.substring(eq + 1));
    }
    if (name != null) {
      putQualifier(qualifiers, name, value);
    }
    Location parsed = Location.parse(location.toString(), lines.name(), featureLine);
    return new PendingFeature(new Feature(key, parsed.strand(), parsed.parts(), parsed.partial(),
        qualifiers, featureLine), location.toString());
  }

  private static void putQualifier(Map<String, String> qualifiers, String name,
      StringBuilder value) {
    if (name.equals("translation")) {
      return; // protein sequences are large and nothing here uses them
    }
    String text = value.toString();
    if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
      text = text.substring(1, text.length() - 1).replace("\"\"", "\"");
    }
    qualifiers.putIfAbsent(name, text);
  }

  private static boolean isContinuation(String line) {
    if (line.length() <= VALUE_COLUMN) {
      return false;
    }
    for (int i = 0; i < VALUE_COLUMN; i++) {
      if (line.charAt(i) != ' ') {
        return false;
      }
    }
    return true;
  }

  private static boolean balanced(CharSequence location) {
    int depth = 0;
    for (int i = 0; i < location.length(); i++) {
      char c = location.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
    }
    return depth <= 0 && !(location.length() > 0 && location.charAt(location.length() - 1) == ',');
  }

  /** Whether a quoted qualifier value has its closing quote (doubled quotes are escapes). */
  private static boolean closedQuote(StringBuilder value) {
    if (value.length() == 0 || value.charAt(0) != '"') {
      return true;
    }
    int quotes = 0;
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) == '"') {
        quotes++;
      }
    }
    return quotes >= 2 && quotes % 2 == 0;
  }

  private static AnnotatedContig finish(LineSource lines, String id, long locusLine,
      Integer declaredLength, List<PendingFeature> pending, BaseBuffer bases, boolean sawOrigin) {
    if (!sawOrigin || bases.length() == 0) {
      throw new DataFormatException(lines.name(), locusLine, 1, id, "GenBank record has no"
          + " sequence (no ORIGIN section); records that only reference other entries (CONTIG)"
          + " cannot be used");
    }
    int length = bases.length();
    if (declaredLength != null && declaredLength != length) {
      throw new DataFormatException(lines.name(), locusLine, 1, id, "LOCUS says "
          + declaredLength + " bp but the ORIGIN section has " + length + " bases");
    }
    List<Feature> features = new ArrayList<>(pending.size());
    for (PendingFeature p : pending) {
      if (p.feature().end() > length) {
        throw new DataFormatException(lines.name(), p.feature().line(), VALUE_COLUMN + 1,
            p.location(), "feature " + p.feature().type() + " ends at " + p.feature().end()
                + ", beyond the " + length + " bp sequence of " + id);
      }
      features.add(p.feature());
    }
    return new AnnotatedContig(id, bases.take(), features);
  }

  /** A parsed INSDC location. */
  record Location(List<Interval> parts, Strand strand, boolean partial) {

    static Location parse(String text, String file, long line) {
      try {
        Location location = new Parser(text).parseAll();
        List<Interval> sorted = new ArrayList<>(location.parts());
        sorted.sort(null);
        return new Location(sorted, location.strand(), location.partial());
      } catch (IllegalArgumentException e) {
        throw new DataFormatException(file, line, VALUE_COLUMN + 1, text,
            "cannot parse feature location: " + e.getMessage());
      }
    }
  }

  /** Recursive descent over complement(...), join(...), order(...) and ranges. */
  private static final class Parser {
    private final String text;
    private int pos;

    Parser(String text) {
      this.text = text.replace(" ", "");
    }

    Location parseAll() {
      if (text.isEmpty()) {
        throw new IllegalArgumentException("empty location");
      }
      Location location = parseExpression();
      if (pos != text.length()) {
        throw new IllegalArgumentException("unexpected '" + text.charAt(pos) + "' at offset "
            + pos);
      }
      return location;
    }

    private Location parseExpression() {
      if (text.startsWith("complement(", pos)) {
        pos += "complement(".length();
        Location inner = parseExpression();
        expect(')');
        Strand flipped = inner.strand() == Strand.REVERSE ? Strand.FORWARD : Strand.REVERSE;
        return new Location(inner.parts(), flipped, inner.partial());
      }
      if (text.startsWith("join(", pos) || text.startsWith("order(", pos)) {
        pos = text.indexOf('(', pos) + 1;
        List<Interval> parts = new ArrayList<>();
        boolean partial = false;
        Strand strand = null;
        while (true) {
          Location part = parseExpression();
          parts.addAll(part.parts());
          partial |= part.partial();
          if (strand != null && strand != part.strand()) {
            throw new IllegalArgumentException("join of parts on both strands");
          }
          strand = part.strand();
          if (pos < text.length() && text.charAt(pos) == ',') {
            pos++;
          } else {
            break;
          }
        }
        expect(')');
        return new Location(parts, strand, partial);
      }
      return parseRange();
    }

    private Location parseRange() {
      boolean partial = false;
      if (pos < text.length() && text.charAt(pos) == '<') {
        partial = true;
        pos++;
      }
      int first = parseNumber();
      int last = first;
      if (text.startsWith("..", pos)) {
        pos += 2;
        if (pos < text.length() && text.charAt(pos) == '>') {
          partial = true;
          pos++;
        }
        last = parseNumber();
      } else if (pos < text.length() && (text.charAt(pos) == '^' || text.charAt(pos) == '.')) {
        // a site between two bases (a^b) or one base of a range (a.b): keep the bases named
        pos++;
        last = parseNumber();
      } else if (pos < text.length() && text.charAt(pos) == '>') {
        partial = true;
        pos++;
      }
      if (first < 1 || last < first) {
        throw new IllegalArgumentException("range " + first + ".." + last
            + " must satisfy 1 <= start <= end");
      }
      return new Location(List.of(new Interval(first - 1, last)), Strand.FORWARD, partial);
    }

    private int parseNumber() {
      int start = pos;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
      if (start == pos) {
        String rest = text.substring(pos);
        if (rest.matches("^[A-Za-z][A-Za-z0-9_.]*:.*")) {
          throw new IllegalArgumentException("remote locations (" + rest
              + ") are not supported");
        }
        throw new IllegalArgumentException("expected a position at offset " + pos);
      }
      try {
        return Integer.parseInt(text.substring(start, pos));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("position too large: " + text.substring(start, pos));
      }
    }

    private void expect(char c) {
      if (pos >= text.length() || text.charAt(pos) != c) {
        throw new IllegalArgumentException("expected '" + c + "' at offset " + pos);
      }
      pos++;
    }
  }

  /** Counts features by type, e.g. for statistics. */
  public static Map<String, Integer> countByType(List<Feature> features) {
    Map<String, Integer> counts = new HashMap<>();
    for (Feature f : features) {
      counts.merge(f.type(), 1, Integer::sum);
    }
    return counts;
  }
}
