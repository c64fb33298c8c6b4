package io.frontdesk.plugins.compression;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A content coding this plugin speaks, and whether its codec can run here. */
enum Coding {
  GZIP("gzip", 1, 9, 6),
  BR("br", 0, 11, 4),
  ZSTD("zstd", 1, 19, 3);

  private static final Logger log = LoggerFactory.getLogger(Coding.class);

  final String token;
  final int minLevel;
  final int maxLevel;
  final int defaultLevel;

  Coding(String token, int minLevel, int maxLevel, int defaultLevel) {
    this.token = token;
    this.minLevel = minLevel;
    this.maxLevel = maxLevel;
    this.defaultLevel = defaultLevel;
  }

  /** @return the coding named by an Accept-Encoding / Content-Encoding token, or {@code null} */
  static Coding of(String token) {
    String t = token.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "gzip", "x-gzip" -> GZIP;
      case "br" -> BR;
      case "zstd" -> ZSTD;
      default -> null;
    };
  }

  /** @return {@code null} when the codec works, else why not (its native library did not load) */
  String unavailableReason() {
    return switch (this) {
      case GZIP -> null;
      case BR -> Natives.BROTLI;
      case ZSTD -> Natives.ZSTD;
    };
  }

  boolean available() {
    return unavailableReason() == null;
  }

  /** Loads the native codecs once per plugin class loader; a failure only disables that coding. */
  private static final class Natives {
    static final String BROTLI = load("brotli", () -> {
      Brotli4jLoader.ensureAvailability();
    });
    static final String ZSTD = load("zstd", com.github.luben.zstd.util.Native::load);

    private static String load(String name, Runnable loader) {
      try {
        loader.run();
        return null;
      } catch (Throwable t) { // UnsatisfiedLinkError, UnsupportedOperationException (platform), …
        String reason = t.getClass().getSimpleName() + ": " + t.getMessage();
        log.warn("compression: {} is unavailable on this machine, skipping it ({})", name, reason);
        return reason;
      }
    }
  }
}
