package io.frontdesk.accesslog;

import io.frontdesk.net.IpLiteral;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The per-hour top paths and top clients of each site, counted in memory by the writer and
 * written every few seconds ({@link #drainPaths}, {@link #drainClients}), so a key costs
 * PostgreSQL one upsert per flush instead of one per batch. Keys are kept few: a path's id-like
 * segments become {@code :id} ({@code /orders/8812} and {@code /orders/9001} are one
 * {@code /orders/:id}), and each site admits at most {@link #PER_HOUR} distinct keys per hour,
 * the rest counting as {@link #OTHER}: without both, a crawler of random URLs would make these
 * tables as large as the log. Used from the writer's thread only.
 */
final class TopLists {

  static final int PER_HOUR = 1000;
  static final String OTHER = "(other)";
  /** How {@link #OTHER} is stored in an inet column. */
  static final String OTHER_CLIENT = "0.0.0.0/0";
  private static final Pattern UUID = Pattern.compile(
      "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
  private static final Pattern HEX = Pattern.compile("^[0-9a-fA-F]{16,}$");
  private static final Pattern TOKEN = Pattern.compile("^(?=.*[0-9])[A-Za-z0-9_-]{24,}$");

  private record Slot(long hour, String site) {
  }

  /** One key of one site-hour: its counts since the last drain. */
  record Count(Instant hour, String site, String key, long requests, long errors) {
  }

  /** Counts since the last drain, per slot and key; a key present with zero counts is admitted. */
  private final Map<Slot, Map<String, long[]>> paths = new HashMap<>();
  private final Map<Slot, Map<String, long[]>> clients = new HashMap<>();
  private long newestHour;

  /** Counts one stored record. */
  void count(Instant ts, String site, String path, String clientIp, int status) {
    String s = site == null ? "" : site;
    bump(paths, ts, s, normalize(path), status >= 500);
    if (clientIp != null && IpLiteral.parse(clientIp) != null) {
      bump(clients, ts, s, clientIp, status >= 400);
    }
  }

  /** Puts drained counts back (they could not be written). */
  void restore(List<Count> pathCounts, List<Count> clientCounts) {
    restore(paths, pathCounts, OTHER);
    restore(clients, clientCounts, OTHER_CLIENT);
  }

  private static void restore(Map<Slot, Map<String, long[]>> m, List<Count> counts, String other) {
    for (Count c : counts) {
      long[] n = m.computeIfAbsent(new Slot(c.hour().getEpochSecond() / 3600, c.site()), k -> new HashMap<>())
          .computeIfAbsent(c.key().equals(other) ? OTHER : c.key(), k -> new long[2]);
      n[0] += c.requests();
      n[1] += c.errors();
    }
  }

  /** @return the path counts since the last call (then zero), keys normalised */
  List<Count> drainPaths() {
    return drain(paths, OTHER);
  }

  /** @return the client counts since the last call (then zero), {@link #OTHER} as {@link #OTHER_CLIENT} */
  List<Count> drainClients() {
    return drain(clients, OTHER_CLIENT);
  }

  private static List<Count> drain(Map<Slot, Map<String, long[]>> m, String other) {
    List<Count> out = new ArrayList<>();
    m.forEach((slot, keys) -> keys.forEach((k, c) -> {
      if (c[0] > 0) {
        out.add(new Count(Instant.ofEpochSecond(slot.hour() * 3600), slot.site(), k.equals(OTHER) ? other : k,
            c[0], c[1]));
        c[0] = 0;
        c[1] = 0;
      }
    }));
    return out;
  }

  private void bump(Map<Slot, Map<String, long[]>> seen, Instant ts, String site, String key, boolean error) {
    long hour = Math.floorDiv(ts.getEpochSecond(), 3600);
    if (hour > newestHour) {
      newestHour = hour;
      // Records arrive in rough time order: an hour two behind the newest is done once drained.
      paths.entrySet().removeIf(e -> e.getKey().hour() < hour - 2 && allZero(e.getValue()));
      clients.entrySet().removeIf(e -> e.getKey().hour() < hour - 2 && allZero(e.getValue()));
    }
    Map<String, long[]> keys = seen.computeIfAbsent(new Slot(hour, site), k -> new HashMap<>());
    long[] c = keys.get(key);
    if (c == null) {
      c = keys.computeIfAbsent(keys.size() >= PER_HOUR ? OTHER : key, k -> new long[2]);
    }
    c[0]++;
    if (error) {
      c[1]++;
    }
  }

  private static boolean allZero(Map<String, long[]> keys) {
    for (long[] c : keys.values()) {
      if (c[0] != 0) {
        return false;
      }
    }
    return true;
  }

  /** {@code /users/42/orders/3f2c…} → {@code /users/:id/orders/:id}; leaves ordinary words alone. */
  static String normalize(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    StringBuilder out = null;
    int start = 0;
    int n = path.length();
    for (int i = 0; i <= n; i++) {
      if (i == n || path.charAt(i) == '/') {
        if (i > start && isId(path, start, i)) {
          if (out == null) {
            out = new StringBuilder(n).append(path, 0, start);
          }
          out.append(":id");
        } else if (out != null) {
          out.append(path, start, i);
        }
        if (out != null && i < n) {
          out.append('/');
        }
        start = i + 1;
      }
    }
    return out == null ? path : out.toString();
  }

  private static boolean isId(String path, int from, int to) {
    boolean digits = true;
    for (int i = from; i < to; i++) {
      char c = path.charAt(i);
      if (c < '0' || c > '9') {
        digits = false;
        break;
      }
    }
    if (digits) {
      return true;
    }
    if (to - from < 16) {
      return false;
    }
    String seg = path.substring(from, to);
    return UUID.matcher(seg).matches() || HEX.matcher(seg).matches() || TOKEN.matcher(seg).matches();
  }
}
