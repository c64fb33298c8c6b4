package io.frontdesk.plugins.logsyslog;

import io.frontdesk.api.PluginContext;
import io.frontdesk.api.log.LogSink;
import io.frontdesk.api.log.LogSinkFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.pf4j.Extension;

/**
 * The {@code log-syslog} plugin: each access-log record as an RFC 5424 syslog message over UDP or
 * TCP (octet-counted framing, RFC 6587), reconnecting with back-off.
 *
 * <p>Configuration: {@code {"host": "127.0.0.1", "port": 514, "protocol": "udp", "facility": 16,
 * "appName": "frontdesk", "hostname": null}}.
 */
@Extension
public class SyslogSinkFactory implements LogSinkFactory {

  @Override
  public JsonObject configSchema() {
    return new JsonObject()
        .put("$schema", "https://json-schema.org/draft/2020-12/schema")
        .put("title", "Syslog (RFC 5424)")
        .put("type", "object").put("additionalProperties", false)
        .put("required", new JsonArray().add("host"))
        .put("properties", new JsonObject()
            .put("host", new JsonObject().put("type", "string").put("minLength", 1).put("maxLength", 253))
            .put("port", new JsonObject().put("type", "integer").put("minimum", 1).put("maximum", 65535).put("default", 514))
            .put("protocol", new JsonObject().put("enum", new JsonArray().add("udp").add("tcp")).put("default", "udp"))
            .put("facility", new JsonObject().put("type", "integer").put("minimum", 0).put("maximum", 23).put("default", 16)
                .put("description", "Syslog facility (16 = local0)."))
            .put("appName", new JsonObject().put("type", "string").put("pattern", "^[!-~]{1,48}$").put("default", "frontdesk"))
            .put("hostname", new JsonObject().put("type", "string")
                .put("pattern", "^[!-~]{1,255}$").put("description", "HOSTNAME field; default: the node id.")));
  }

  @Override
  public LogSink create(JsonObject config, PluginContext context) {
    String hostname = config.getString("hostname", context.nodeId());
    return new SyslogSink(context.vertx(), config.getString("host"), config.getInteger("port", 514),
        config.getString("protocol", "udp"), config.getInteger("facility", 16), config.getString("appName", "frontdesk"),
        hostname.replaceAll("[^!-~]", "_"));
  }
}
