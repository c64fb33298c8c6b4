package io.frontdesk.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of this plugin API.
 *
 * <p>A plugin jar states the API versions it works with in its manifest ({@code Plugin-Requires}, a
 * SemVer expression such as {@code ^1.0.0}); the host refuses a jar whose expression this version
 * does not satisfy. The major version changes only when the API breaks compatibility.
 */
public final class PluginApi {

  private static final String VERSION = load();

  private PluginApi() {
  }

  /** @return this API's version, e.g. {@code 1.0.0} */
  public static String version() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = PluginApi.class.getResourceAsStream("plugin-api.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
