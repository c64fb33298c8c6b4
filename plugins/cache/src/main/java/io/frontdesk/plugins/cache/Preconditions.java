package io.frontdesk.plugins.cache;

import io.frontdesk.api.http.HeaderFields;
import java.util.List;

/**
 * A client's preconditions evaluated against a stored response (RFC 9110 13.2.2, in its order:
 * {@code If-Match}, {@code If-Unmodified-Since}, {@code If-None-Match}, {@code If-Modified-Since}),
 * with RFC 9111 4.3.2's rule for {@code If-Modified-Since} on a stored response without {@code
 * Last-Modified} (its {@code Date}, else when it arrived). Only a 2xx stored response is
 * evaluated; the others ignore preconditions.
 */
final class Preconditions {

  /** The outcome. */
  enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

  private Preconditions() {
  }

  static Outcome evaluate(StoredHead stored, HeaderFields request, boolean getOrHead, long nowSeconds) {
    if (stored.status() < 200 || stored.status() > 299 || !request.contains("if-match")
        && !request.contains("if-none-match") && !request.contains("if-modified-since")
        && !request.contains("if-unmodified-since")) {
      return Outcome.PROCEED; // the common case: nothing to evaluate
    }
    EntityTags.Tag etag = EntityTags.parse(stored.header("etag"));
    long lastModified = HttpDate.parse(stored.header("last-modified"), nowSeconds);
    List<String> ifMatch = request.getAll("if-match");
    if (!ifMatch.isEmpty()) {
      List<EntityTags.Tag> tags = EntityTags.list(ifMatch);
      if (tags != null && (etag == null || tags.stream().noneMatch(t -> t.strongMatch(etag)))) {
        return Outcome.PRECONDITION_FAILED;
      }
    } else {
      long ius = single(request.getAll("if-unmodified-since"), nowSeconds);
      if (ius != HttpDate.INVALID && lastModified != HttpDate.INVALID && lastModified > ius) {
        return Outcome.PRECONDITION_FAILED;
      }
    }
    List<String> ifNoneMatch = request.getAll("if-none-match");
    if (!ifNoneMatch.isEmpty()) {
      List<EntityTags.Tag> tags = EntityTags.list(ifNoneMatch);
      boolean matched = tags == null || etag != null && tags.stream().anyMatch(t -> t.weakMatch(etag));
      if (!matched) {
        return Outcome.PROCEED;
      }
      return getOrHead ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;
    }
    if (!getOrHead) {
      return Outcome.PROCEED;
    }
    long ims = single(request.getAll("if-modified-since"), nowSeconds);
    if (ims == HttpDate.INVALID) {
      return Outcome.PROCEED;
    }
    long modified = lastModified != HttpDate.INVALID ? lastModified
        : HttpDate.parse(stored.header("date"), nowSeconds) != HttpDate.INVALID
            ? HttpDate.parse(stored.header("date"), nowSeconds) : stored.responseTime() / 1000;
    return modified <= ims ? Outcome.NOT_MODIFIED : Outcome.PROCEED;
  }

  /** @return the date of a field that must be one HTTP-date, or {@link HttpDate#INVALID} */
  private static long single(List<String> lines, long nowSeconds) {
    return lines.size() != 1 ? HttpDate.INVALID : HttpDate.parse(lines.get(0), nowSeconds);
  }
}
