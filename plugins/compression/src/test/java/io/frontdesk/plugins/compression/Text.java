package io.frontdesk.plugins.compression;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Deterministic, HTML-like text that compresses about as well as real pages do. */
final class Text {

  private static final String[] WORDS = {"<div class=\"item\">", "</div>", "<p>", "</p>", "frontdesk", "proxy",
      "upstream", "the", "a", "request", "response", "<a href=\"/items/", "\">", "</a>", "price", "42",
      "lorem", "ipsum", "dolor", "sit", "amet", "\n", "<span>", "</span>", "compression", "stream"};

  private Text() {
  }

  /** @return {@code n} bytes of text; the same seed and offset always give the same bytes */
  static byte[] bytes(int n, long seed) {
    StringBuilder sb = new StringBuilder(n + 32);
    SplittableRandom r = new SplittableRandom(seed);
    while (sb.length() < n) {
      sb.append(WORDS[r.nextInt(WORDS.length)]);
      if (r.nextInt(8) == 0) {
        sb.append(r.nextInt(100_000));
      }
      sb.append(' ');
    }
    byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
    return java.util.Arrays.copyOf(all, n);
  }
}
