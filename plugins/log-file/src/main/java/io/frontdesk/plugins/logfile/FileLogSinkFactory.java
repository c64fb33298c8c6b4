package io.frontdesk.plugins.logfile;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.log.LogSink;
import io.frontdesk.api.log.LogSinkFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import org.pf4j.Extension;

/**
 * The {@code log-file} plugin: access-log records as JSON lines in a file that rotates by size
 * and/or time, keeping the newest {@code keep} rotated files.
 *
 * <p>Configuration: {@code {"path": "access.jsonl", "maxSizeMb": 100, "rotate": "daily", "keep": 7}}.
 * A relative path is inside the plugin's data directory.
 */
@Extension
public class FileLogSinkFactory implements LogSinkFactory {

  @Override
  public JsonObject configSchema() {
    return new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("title", "JSON lines file")
        .put("type", "object").put("additionalProperties", false)
        .put("properties", new JsonObject()
            .put("path", new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 4096)
                .put("default", "access.jsonl").put("description", "File to write; relative to the plugin's data folder."))
            .put("maxSizeMb", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 100_000)
                .put("default", 100).put("description", "Rotate when the file reaches this size."))
            .put("rotate", new JsonObject().put("enum", new JsonArray().add("none").add("hourly").add("daily"))
                .put("default", "daily").put("description", "Also rotate when the hour or day changes (UTC)."))
            .put("keep", new JsonObject().put("type", "integer").put("minimum", 0).put("maximum", 10_000)
                .put("default", 7).put("description", "Rotated files kept; older ones are deleted.")));
  }

  @Override
  public LogSink create(JsonObject config, PluginContext context) {
    String p = config.getString("path", "access.jsonl");
    Path path = Path.of(p).isAbsolute() ? Path.of(p) : context.dataDirectory().resolve(p);
    return new FileLogSink(path, config.getInteger("maxSizeMb", 100) * 1024L * 1024L,
        config.getString("rotate", "daily"), config.getInteger("keep", 7), Clock.systemUTC());
  }
}
