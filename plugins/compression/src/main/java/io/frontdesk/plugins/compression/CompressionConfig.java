package io.frontdesk.plugins.compression;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** A binding's configuration, with defaults filled in (the schema has already checked it). */
record CompressionConfig(List<Coding> preference, Map<Coding, Integer> levels, List<Pattern> types, long minLength,
    List<Pattern> flushTypes, boolean decompressRequests, long maxDecompressedBytes) {

  static final List<String> DEFAULT_TYPES = List.of("text/*", "application/json", "application/*+json",
      "application/javascript", "application/x-javascript", "application/ecmascript", "application/xml",
      "application/*+xml", "application/x-ndjson", "application/wasm", "application/graphql-response+json",
      "application/yaml", "application/x-yaml", "application/toml", "application/vnd.ms-fontobject",
      "image/svg+xml", "image/x-icon", "image/vnd.microsoft.icon", "image/bmp", "font/ttf", "font/otf",
      "application/x-font-ttf");
  static final List<String> DEFAULT_FLUSH_TYPES = List.of("text/event-stream", "application/x-ndjson");
  static final List<String> DEFAULT_ALGORITHMS = List.of("br", "zstd", "gzip");

  static CompressionConfig parse(JsonObject c) {
    List<Coding> preference = new ArrayList<>();
    for (Object o : c.getJsonArray("algorithms", new JsonArray(new ArrayList<>(DEFAULT_ALGORITHMS)))) {
      Coding coding = Coding.of((String) o);
      if (coding != null && !preference.contains(coding) && coding.available()) {
        preference.add(coding); // a codec that cannot load here is left out, logged once
      }
    }
    Map<Coding, Integer> levels = new EnumMap<>(Coding.class);
    JsonObject l = c.getJsonObject("levels", new JsonObject());
    for (Coding coding : Coding.values()) {
      int level = l.getInteger(coding.token, coding.defaultLevel);
      if (level < coding.minLevel || level > coding.maxLevel) {
        throw new IllegalArgumentException("levels." + coding.token + ": must be " + coding.minLevel + ".."
            + coding.maxLevel + " (got " + level + ")");
      }
      levels.put(coding, level);
    }
    return new CompressionConfig(preference, levels, patterns(c.getJsonArray("contentTypes"), DEFAULT_TYPES),
        c.getLong("minLength", 256L), patterns(c.getJsonArray("flushContentTypes"), DEFAULT_FLUSH_TYPES),
        c.getBoolean("decompressRequests", false), c.getLong("maxDecompressedBytes", 10L * 1024 * 1024));
  }

  private static List<Pattern> patterns(JsonArray a, List<String> defaults) {
    List<Pattern> out = new ArrayList<>();
    for (Object o : a == null ? defaults : a.getList()) {
      out.add(Pattern.compile(Pattern.quote(((String) o).toLowerCase(Locale.ROOT)).replace("*", "\\E[^;]*\\Q")));
    }
    return out;
  }

  /** @return whether the media type of a Content-Type value matches one of the patterns */
  static boolean matches(List<Pattern> patterns, String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String media = (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    for (Pattern p : patterns) {
      if (p.matcher(media).matches()) {
        return true;
      }
    }
    return false;
  }
}
