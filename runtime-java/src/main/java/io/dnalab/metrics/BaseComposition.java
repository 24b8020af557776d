package io.dnalab.metrics;

/** Base composition of token strings, for colouring pictures of token embeddings. */
public final class BaseComposition {

  private BaseComposition() {}

  /**
   * The fraction of G and C among the A, C, G, T bases of {@code token} (case ignored, N not
   * counted). NaN for a token that is not DNA — one holding any other character, such as {@code
   * [CLS]} or {@code [MASK]} (whose letters would otherwise count as bases) — or that holds only
   * N.
   */
  public static double gcFraction(String token) {
    int bases = 0;
    int gc = 0;
    for (int i = 0; i < token.length(); i++) {
      switch (Character.toUpperCase(token.charAt(i))) {
        case 'G', 'C' -> {
          gc++;
          bases++;
        }
        case 'A', 'T' -> bases++;
        case 'N' -> {
        }
        default -> {
          return Double.NaN;
        }
      }
    }
    return bases == 0 ? Double.NaN : (double) gc / bases;
  }
}
