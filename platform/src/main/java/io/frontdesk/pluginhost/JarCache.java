package io.frontdesk.pluginhost;

import io.frontdesk.db.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The copies of plugin jars that are actually loaded, in {@code <data-dir>/plugin-cache}: the
 * operator's file in the plugins folder can then be replaced or deleted at any time. A copy is
 * named by the jar's name and content hash; the folder is emptied at start.
 */
final class JarCache {

  private final Path dir;

  JarCache(Path dataDir) {
    this.dir = dataDir.resolve("plugin-cache");
  }

  /** The folder, also where PF4J managers keep their plugin roots. */
  Path dir() {
    return dir;
  }

  /** Creates the folder (owner only) and deletes what an earlier run left in it. */
  void open() throws IOException {
    OwnerOnly.directory(dir);
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        delete(p);
      }
    }
  }

  /** @return the cached copy of a jar whose content hashes to sha, copied now unless it is there */
  Path copyOf(Path jar, String sha) throws IOException {
    Path cached = dir.resolve(stripJar(jar.getFileName().toString()) + "-" + sha.substring(0, 12) + ".jar");
    if (!Files.exists(cached)) {
      Path tmp = Files.createTempFile(dir, "copy", ".tmp");
      Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return cached;
  }

  /** @return a throw-away copy of a jar to try loading, in a folder of its own; drop it with {@link #dropTrial} */
  Path trialCopy(Path jar) throws IOException {
    Path copy = Files.createTempDirectory(dir, "trial").resolve("trial.jar");
    Files.copy(jar, copy);
    return copy;
  }

  void dropTrial(Path copy) {
    delete(copy);
    delete(copy.getParent());
  }

  static void delete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // a leftover in the cache folder is cleaned at the next start
    }
  }

  static String sha256(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String stripJar(String name) {
    return name.endsWith(".jar") ? name.substring(0, name.length() - 4) : name;
  }
}
