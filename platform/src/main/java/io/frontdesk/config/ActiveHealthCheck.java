package io.frontdesk.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Probing targets on a timer. Off unless configured.
 *
 * @param type {@code http} (a request whose status, and optionally body, decide) or {@code tcp} (a
 *     connection that opens)
 * @param method HTTP method (default GET)
 * @param path HTTP path (default {@code /})
 * @param host Host header to send; {@code null} = the target's address
 * @param expectedStatuses statuses that count as healthy, as codes or ranges ({@code "200-399"}, the default)
 * @param bodyContains text the body must contain; {@code null} = not checked
 * @param intervalMs time between checks of one target (default 5 s)
 * @param timeoutMs a check taking longer fails (default 2 s)
 * @param healthyThreshold successes in a row that make an unhealthy target healthy (default 2)
 * @param unhealthyThreshold failures in a row that make a healthy target unhealthy (default 3)
 */
public record ActiveHealthCheck(
    String type, String method, String path, String host, List<String> expectedStatuses, String bodyContains,
    int intervalMs, int timeoutMs, int healthyThreshold, int unhealthyThreshold) {

  public ActiveHealthCheck {
    expectedStatuses = List.copyOf(expectedStatuses);
  }

  public static ActiveHealthCheck fromJson(JsonObject j) {
    if (j == null) {
      return null;
    }
    List<String> statuses = j.getJsonArray("expectedStatuses", new JsonArray().add("200-399")).stream()
        .map(String::valueOf).toList();
    return new ActiveHealthCheck(j.getString("type", "http"), j.getString("method", "GET"), j.getString("path", "/"),
        j.getString("host"), statuses, j.getString("bodyContains"), j.getInteger("intervalMs", 5000),
        j.getInteger("timeoutMs", 2000), j.getInteger("healthyThreshold", 2), j.getInteger("unhealthyThreshold", 3));
  }

  public JsonObject toJson() {
    return new JsonObject().put("type", type).put("method", method).put("path", path).put("host", host)
        .put("expectedStatuses", new JsonArray(expectedStatuses)).put("bodyContains", bodyContains)
        .put("intervalMs", intervalMs).put("timeoutMs", timeoutMs).put("healthyThreshold", healthyThreshold)
        .put("unhealthyThreshold", unhealthyThreshold);
  }

  /** @return whether {@code status} is one of the expected ones */
  public boolean statusOk(int status) {
    for (String s : expectedStatuses) {
      int dash = s.indexOf('-');
      if (dash < 0 ? status == Integer.parseInt(s.trim())
          : status >= Integer.parseInt(s.substring(0, dash).trim()) && status <= Integer.parseInt(s.substring(dash + 1).trim())) {
        return true;
      }
    }
    return false;
  }
}
