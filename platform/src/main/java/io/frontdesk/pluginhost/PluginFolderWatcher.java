package io.frontdesk.pluginhost;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Tells which {@code *.jar} files in the plugins folder appeared, changed or went away since it
 * last looked. A jar counts as changed by its content hash, and only once its size and time held
 * still for one look, so a copy in progress is not read half-written. Not thread-safe: used on the
 * plugin thread only.
 */
final class PluginFolderWatcher {

  /** A file seen in the folder: ready once its size and time stop changing. */
  private record Seen(long size, long mtime, int stableLooks) {
  }

  private final Path dir;
  private final Map<Path, Seen> seen = new HashMap<>();
  /** What was last handed out for each jar: its hash, and the size and time it was hashed at. */
  private record HandedOut(String sha, long size, long mtime) {
  }

  private final Map<Path, HandedOut> handedOut = new HashMap<>();

  PluginFolderWatcher(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  /** Reads the folder's jars, their sizes and times. */
  void look() throws IOException {
    Map<Path, Seen> current = new HashMap<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.jar")) {
        for (Path p : ds) {
          if (!Files.isRegularFile(p)) {
            continue;
          }
          long size = Files.size(p);
          long mtime = Files.getLastModifiedTime(p).toMillis();
          Seen before = seen.get(p);
          int stable = before != null && before.size == size && before.mtime == mtime ? before.stableLooks + 1 : 0;
          current.put(p, new Seen(size, mtime, stable));
        }
      }
    }
    seen.clear();
    seen.putAll(current);
  }

  /** @return whether the last look found this jar in the folder */
  boolean holds(Path jar) {
    return seen.containsKey(jar);
  }

  /** @return the jars handed out earlier that the last look no longer found; each is named once */
  List<Path> takeGone() {
    List<Path> gone = new ArrayList<>();
    for (Iterator<Path> it = handedOut.keySet().iterator(); it.hasNext(); ) {
      Path p = it.next();
      if (!seen.containsKey(p)) {
        it.remove();
        gone.add(p);
      }
    }
    return gone;
  }

  /** Hands this jar out again at the next {@link #takeChanged}, even if its content is the same. */
  void forget(Path jar) {
    handedOut.remove(jar);
  }

  /** Handles one jar whose content is new; may fail, and the jars after it wait for the next look. */
  @FunctionalInterface
  interface ChangedJarHandler {
    void handle(Path jar, String sha) throws IOException;
  }

  /**
   * Hands each jar whose content differs from what was handed out for it before, by name, to the
   * handler. A jar counts as handed out before the handler runs, so one the handler fails on is
   * not retried until its content changes.
   *
   * <p>A jar whose size and time are those it was hashed at is not read again: hashing every jar at
   * every look cost a busy core a few percent (a plugin with native libraries is megabytes). An
   * explicit rescan ({@code now}) hashes them all.
   *
   * @param now true to take jars that have not held still yet and to hash every jar (the first
   *     look, an explicit rescan)
   */
  void takeChanged(boolean now, ChangedJarHandler handler) throws IOException {
    List<Path> paths = new ArrayList<>(seen.keySet());
    paths.sort(Comparator.comparing(Path::toString));
    for (Path p : paths) {
      Seen looked = seen.get(p);
      if (!now && looked.stableLooks < 1) {
        continue;
      }
      HandedOut before = handedOut.get(p);
      if (!now && before != null && before.size == looked.size && before.mtime == looked.mtime) {
        continue;
      }
      String sha;
      try {
        sha = JarCache.sha256(p);
      } catch (IOException e) {
        continue; // vanished or unreadable for a moment: next look
      }
      handedOut.put(p, new HandedOut(sha, looked.size, looked.mtime));
      if (before == null || !sha.equals(before.sha)) {
        handler.handle(p, sha);
      }
    }
  }
}
