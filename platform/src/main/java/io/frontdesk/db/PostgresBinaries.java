package io.frontdesk.db;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL 17 binaries bundled in the jar (zonky's archive), unpacked once into
 * {@code <data-dir>/postgres-bin/<version>}. A marker file written last tells a complete unpack
 * from one interrupted half-way, which is redone.
 */
final class PostgresBinaries {

  private static final String MARKER = ".frontdesk-unpacked";

  private PostgresBinaries() {
  }

  /** @return the folder holding {@code bin/} and {@code lib/} */
  static Path unpack(Path parent) throws IOException {
    String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
    Path dir = parent.resolve("pg17-linux-" + arch);
    if (Files.exists(dir.resolve(MARKER))) {
      return dir;
    }
    OwnerOnly.directory(parent);
    Path tmp = parent.resolve(dir.getFileName() + ".unpacking");
    deleteTree(tmp);
    Files.createDirectories(tmp);
    try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", arch)) {
      if (in == null) {
        throw new IOException("no bundled PostgreSQL binaries for Linux " + arch);
      }
      extract(new BufferedInputStream(in), tmp);
    }
    Files.createFile(tmp.resolve(MARKER));
    deleteTree(dir);
    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
    // Earlier versions let zonky unpack the same binaries into PG-<digest>: 60 MB no longer used.
    try (var old = Files.newDirectoryStream(parent, "PG-*")) {
      for (Path p : old) {
        deleteTree(p);
      }
    }
    return dir;
  }

  private static void extract(InputStream txz, Path target) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(txz))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        Path p = target.resolve(e.getName()).normalize();
        if (!p.startsWith(target)) {
          throw new IOException("unsafe path in the PostgreSQL archive: " + e.getName());
        }
        if (e.isDirectory()) {
          Files.createDirectories(p);
        } else if (e.isSymbolicLink()) {
          Files.createDirectories(p.getParent());
          Files.createSymbolicLink(p, Path.of(e.getLinkName()));
        } else if (e.isFile()) {
          Files.createDirectories(p.getParent());
          Files.copy(tar, p, StandardCopyOption.REPLACE_EXISTING);
          // Owner-only; the archive's execute bit decides for bin/ and helpers.
          boolean exec = (e.getMode() & 0100) != 0 || e.getName().replaceFirst("^\\./", "").startsWith("bin/");
          Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(exec ? "rwx------" : "rw-------"));
        }
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
