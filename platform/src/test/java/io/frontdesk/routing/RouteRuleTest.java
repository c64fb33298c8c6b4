package io.frontdesk.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.config.Route;
import io.frontdesk.config.RouteMatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteRuleTest {

  static Route route(String name, int priority, String prefix, String path, String regex, boolean strip, String rewrite) {
    return new Route("id-" + name, name, "s", "u", new RouteMatch(prefix, path, regex, List.of(), Map.of()),
        priority, strip, rewrite, false, true);
  }

  record Entry(RouteRule rule) implements RouteTable.Entry {
  }

  static String match(RouteTable<Entry> t, String path) {
    Entry e = t.match("GET", path, h -> null);
    return e == null ? null : e.rule().route().name();
  }

  @Test
  void exactBeatsRegexWhichBeatsTheLongestPrefixUnlessPriorityDecides() {
    RouteTable<Entry> t = new RouteTable<>(List.of(
        new Entry(RouteRule.compile(route("root", 0, "/", null, null, false, null))),
        new Entry(RouteRule.compile(route("api", 0, "/api", null, null, false, null))),
        new Entry(RouteRule.compile(route("api-v2", 0, "/api/v2", null, null, false, null))),
        new Entry(RouteRule.compile(route("health", 0, null, "/api/health", null, false, null))),
        new Entry(RouteRule.compile(route("ids", 0, null, null, "/api/[0-9]+", false, null))),
        new Entry(RouteRule.compile(route("urgent", 5, "/urgent", null, null, false, null)))));
    assertThat(match(t, "/api/health")).isEqualTo("health");
    assertThat(match(t, "/api/42")).isEqualTo("ids");
    assertThat(match(t, "/api/v2/x")).isEqualTo("api-v2");
    assertThat(match(t, "/api/x")).isEqualTo("api");
    assertThat(match(t, "/apix")).isEqualTo("root");
    assertThat(match(t, "/urgent/1")).isEqualTo("urgent");
  }

  @Test
  void rewritesThePathTheUpstreamGets() {
    assertThat(RouteRule.compile(route("a", 0, "/api", null, null, true, null)).forwardPath("/api/users"))
        .isEqualTo("/users");
    assertThat(RouteRule.compile(route("a", 0, "/api/", null, null, true, null)).forwardPath("/api/users"))
        .isEqualTo("/users");
    assertThat(RouteRule.compile(route("a", 0, "/api", null, null, true, null)).forwardPath("/api")).isEqualTo("/");
    assertThat(RouteRule.compile(route("a", 0, "/old", null, null, false, "/new")).forwardPath("/old/x"))
        .isEqualTo("/new/x");
    assertThat(RouteRule.compile(route("a", 0, null, "/exact", null, false, "/other")).forwardPath("/exact"))
        .isEqualTo("/other");
    assertThat(RouteRule.compile(route("a", 0, null, null, "/u/(?<id>[0-9]+)", false, "/users/${id}"))
        .forwardPath("/u/7")).isEqualTo("/users/7");
  }

  @Test
  void aGetRouteAlsoAnswersHead() {
    Route r = new Route("i", "n", "s", "u", new RouteMatch("/", null, null, List.of("GET"), Map.of()), 0, false, null,
        false, true);
    RouteRule rule = RouteRule.compile(r);
    assertThat(rule.matches("HEAD", "/", h -> null)).isTrue();
    assertThat(rule.matches("POST", "/", h -> null)).isFalse();
  }

  @Test
  void pathsMatchWithoutCaseUnlessTheRouteSaysOtherwise() {
    RouteRule loose = RouteRule.compile(route("admin", 0, "/admin", null, null, false, null));
    assertThat(loose.matches("GET", "/ADMIN/x", h -> null)).isTrue();
    assertThat(RouteRule.compile(route("e", 0, null, "/Login", null, false, null)).matches("GET", "/login", h -> null))
        .isTrue();
    assertThat(RouteRule.compile(route("r", 0, null, null, "/api/[a-z]+", false, null)).matches("GET", "/API/X", h -> null))
        .isTrue();
    Route strict = new Route("i", "s", "s", "u", new RouteMatch("/admin", null, null, List.of(), Map.of()), 0, false,
        null, false, true, new io.frontdesk.config.RequestPolicy(true, false, false, 0, List.of("websocket")));
    assertThat(RouteRule.compile(strict).matches("GET", "/ADMIN/x", h -> null)).isFalse();
    assertThat(RouteRule.compile(strict).matches("GET", "/admin/x", h -> null)).isTrue();
  }
}
