package io.frontdesk.pluginhost;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PluginFolderWatcherTest {

  final Path dir = TestPaths.newDir("watched");
  final PluginFolderWatcher watcher = new PluginFolderWatcher(dir);

  List<Path> changed(boolean now) throws Exception {
    List<Path> out = new ArrayList<>();
    watcher.takeChanged(now, (jar, sha) -> out.add(jar));
    return out;
  }

  @Test
  void aJarIsHandedOutOnlyOnceItsSizeHeldStillForOneLook() throws Exception {
    Path jar = dir.resolve("a.jar");
    Files.write(jar, new byte[10]);
    watcher.look();
    assertThat(changed(false)).isEmpty();

    Files.write(jar, new byte[20]); // still being copied
    watcher.look();
    assertThat(changed(false)).isEmpty();

    watcher.look();
    assertThat(changed(false)).containsExactly(jar);
    watcher.look();
    assertThat(changed(false)).as("the same content is handed out once").isEmpty();
  }

  @Test
  void aRescanTakesJarsThatHaveNotHeldStillYet() throws Exception {
    Path jar = dir.resolve("b.jar");
    Files.write(jar, new byte[10]);
    watcher.look();
    assertThat(changed(true)).containsExactly(jar);
  }

  @Test
  void aChangedContentIsHandedOutAgainAndAGoneJarIsNamedOnce() throws Exception {
    Path jar = dir.resolve("c.jar");
    Path other = dir.resolve("not-a-jar.txt");
    Files.write(jar, new byte[] {1});
    Files.write(other, new byte[] {1});
    watcher.look();
    assertThat(changed(true)).containsExactly(jar);

    Files.write(jar, new byte[] {2});
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
    watcher.look();
    watcher.look();
    assertThat(changed(false)).containsExactly(jar);

    Files.delete(jar);
    watcher.look();
    assertThat(watcher.holds(jar)).isFalse();
    assertThat(watcher.takeGone()).containsExactly(jar);
    assertThat(watcher.takeGone()).isEmpty();
  }

  @Test
  void aForgottenJarIsHandedOutAgainWithTheSameContent() throws Exception {
    Path jar = dir.resolve("d.jar");
    Files.write(jar, new byte[] {1});
    watcher.look();
    assertThat(changed(true)).containsExactly(jar);
    watcher.forget(jar);
    assertThat(changed(true)).containsExactly(jar);
  }

  @Test
  void aJarWhoseSizeAndTimeHeldIsNotReadAgainUntilARescan() throws Exception {
    Path jar = dir.resolve("e.jar");
    Files.write(jar, new byte[] {1, 2});
    watcher.look();
    assertThat(changed(true)).containsExactly(jar);

    FileTime time = Files.getLastModifiedTime(jar);
    Files.write(jar, new byte[] {3, 4}); // same size, time put back: only a hash would tell
    Files.setLastModifiedTime(jar, time);
    watcher.look();
    watcher.look();
    assertThat(changed(false)).as("a look goes by size and time").isEmpty();
    assertThat(changed(true)).as("a rescan reads every jar").containsExactly(jar);
  }

  @Test
  void aTouchedJarWithTheSameContentIsNotHandedOutAgain() throws Exception {
    Path jar = dir.resolve("f.jar");
    Files.write(jar, new byte[] {1});
    watcher.look();
    assertThat(changed(true)).containsExactly(jar);
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5000));
    watcher.look();
    watcher.look();
    assertThat(changed(false)).isEmpty();
  }
}
