package io.frontdesk.auth;

import io.frontdesk.validation.FieldError;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an API token's optional end: {@code expiresAt} (RFC 3339) or {@code expiresIn} (a duration). */
final class TokenExpiry {

  /** Ten years: further out is a typo, not a plan. */
  static final Duration MAX = Duration.ofDays(3650);
  private static final Pattern DURATION = Pattern.compile("^(\\d{1,9})([smhd]?)$");

  private TokenExpiry() {
  }

  /** @return when the token ends, or {@code null} for never; a field error when the input is wrong */
  static OffsetDateTime parse(JsonObject in, Instant now, List<FieldError> errors) {
    Object at = in.getValue("expiresAt");
    Object within = in.getValue("expiresIn");
    if (at != null && within != null) {
      errors.add(new FieldError("expiresAt", "give expiresAt or expiresIn, not both"));
      return null;
    }
    Instant end;
    String field;
    if (at != null) {
      field = "expiresAt";
      try {
        end = at instanceof String s ? OffsetDateTime.parse(s).toInstant() : null;
      } catch (DateTimeParseException e) {
        end = null;
      }
      if (end == null) {
        errors.add(new FieldError(field, "must be a date-time such as 2030-01-31T12:00:00Z"));
        return null;
      }
    } else if (within != null) {
      field = "expiresIn";
      Duration d = duration(within);
      if (d == null || d.isZero()) {
        errors.add(new FieldError(field, "must be a positive number of seconds or a duration such as 30d, 12h, 15m"));
        return null;
      }
      end = now.plus(d.compareTo(MAX) > 0 ? MAX.plusSeconds(1) : d);
    } else {
      return null;
    }
    if (!end.isAfter(now)) {
      errors.add(new FieldError(field, "must lie in the future"));
      return null;
    }
    if (end.isAfter(now.plus(MAX))) {
      errors.add(new FieldError(field, "must lie within " + MAX.toDays() + " days"));
      return null;
    }
    return end.atOffset(ZoneOffset.UTC);
  }

  private static Duration duration(Object v) {
    if (v instanceof Number n) {
      long s = n.longValue();
      return s > 0 && n.doubleValue() == s ? Duration.ofSeconds(s) : null;
    }
    if (!(v instanceof String s)) {
      return null;
    }
    Matcher m = DURATION.matcher(s.trim());
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      case "d" -> Duration.ofDays(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
