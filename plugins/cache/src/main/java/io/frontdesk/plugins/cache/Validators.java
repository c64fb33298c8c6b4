package io.frontdesk.plugins.cache;

import io.frontdesk.api.http.Headers;
import java.util.List;

/**
 * The conditional request a cache sends to validate a stored response (RFC 9111 4.3.1): the
 * client's own preconditions and range come off (the cache answers those itself, from the
 * validated response), the stored {@code ETag} goes into {@code If-None-Match} and the stored
 * {@code Last-Modified} into {@code If-Modified-Since}.
 */
final class Validators {

  /** Request fields the cache evaluates itself when it validates. */
  static final List<String> CLIENT_CONDITIONS = List.of("if-none-match", "if-modified-since", "if-match",
      "if-unmodified-since", "if-range", "range");

  private Validators() {
  }

  static void apply(Headers request, StoredHead stored) {
    for (String f : CLIENT_CONDITIONS) {
      request.remove(f);
    }
    String etag = stored.header("etag");
    if (etag != null) {
      request.set("If-None-Match", quoted(etag.trim()));
    }
    String lm = stored.header("last-modified");
    if (lm != null) {
      request.set("If-Modified-Since", lm);
    }
  }

  /** @return an entity-tag in its quoted form ({@code abc} → {@code "abc"}; {@code W/"x"} unchanged) */
  static String quoted(String etag) {
    if (etag.startsWith("\"") || etag.startsWith("W/\"") || etag.startsWith("w/\"")) {
      return etag;
    }
    return "\"" + etag.replace("\"", "") + "\"";
  }
}
