package io.frontdesk.plugins.compression;

import java.util.List;
import java.util.Locale;

/**
 * Chooses a response coding from the client's {@code Accept-Encoding} (RFC 9110 §12.5.3): the
 * highest q-value wins, ties go to the operator's preference order; {@code q=0} excludes a coding,
 * {@code *} stands for codings not named, and an explicit {@code identity} preferred over every
 * coding means "don't compress". No header means no compression (as nginx and Caddy do).
 */
final class AcceptEncoding {

  private AcceptEncoding() {
  }

  /**
   * @param header the request's Accept-Encoding values joined with commas, or {@code null}
   * @param preference the codings the operator allows, most preferred first
   * @return the coding to use, or {@code null} for none
   */
  static Coding choose(String header, List<Coding> preference) {
    if (header == null || header.isBlank()) {
      return null;
    }
    double[] q = new double[Coding.values().length];
    boolean[] named = new boolean[q.length];
    double star = -1;
    double identity = -1;
    for (String part : header.split(",")) {
      String[] p = part.split(";");
      String token = p[0].trim().toLowerCase(Locale.ROOT);
      if (token.isEmpty()) {
        continue;
      }
      double weight = 1;
      for (int i = 1; i < p.length; i++) {
        String param = p[i].trim();
        if (param.length() > 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q') && param.charAt(1) == '=') {
          weight = qvalue(param.substring(2).trim());
        }
      }
      if (weight < 0) {
        continue; // a malformed q-value: the entry is ignored
      }
      if (token.equals("*")) {
        star = weight;
      } else if (token.equals("identity")) {
        identity = weight;
      } else {
        Coding c = Coding.of(token);
        if (c != null) {
          q[c.ordinal()] = named[c.ordinal()] ? Math.max(q[c.ordinal()], weight) : weight; // gzip and x-gzip
          named[c.ordinal()] = true;
        }
      }
    }
    Coding best = null;
    double bestQ = 0;
    for (Coding c : preference) {
      double w = named[c.ordinal()] ? q[c.ordinal()] : Math.max(star, 0);
      if (w > bestQ) {
        best = c;
        bestQ = w;
      }
    }
    if (best != null && identity > bestQ) {
      return null;
    }
    return best;
  }

  /** @return the q-value, or -1 when it is not one ({@code 0}, {@code 0.5}, {@code 1.000}) */
  static double qvalue(String s) {
    if (!s.matches("^(0(\\.[0-9]{0,3})?|1(\\.0{0,3})?)$")) {
      return -1;
    }
    return Double.parseDouble(s);
  }
}
