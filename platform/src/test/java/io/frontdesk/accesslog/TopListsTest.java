package io.frontdesk.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopListsTest {

  @Test
  void idLikeSegmentsBecomeOnePattern() {
    assertThat(TopLists.normalize("/orders/8812")).isEqualTo("/orders/:id");
    assertThat(TopLists.normalize("/users/42/orders/7/")).isEqualTo("/users/:id/orders/:id/");
    assertThat(TopLists.normalize("/o/3f2c9a1e-4b7d-4c2a-9e1f-0a1b2c3d4e5f")).isEqualTo("/o/:id");
    assertThat(TopLists.normalize("/blob/9f86d081884c7d659a2feaa0c55ad015")).isEqualTo("/blob/:id");
    assertThat(TopLists.normalize("/reset/eyJhbGciOiJIUzI1NiJ9abc123XYZ_-")).isEqualTo("/reset/:id");
    // Words, slugs and versioned assets stay as they are.
    assertThat(TopLists.normalize("/products/blue-shirt")).isEqualTo("/products/blue-shirt");
    assertThat(TopLists.normalize("/api/v2/health")).isEqualTo("/api/v2/health");
    assertThat(TopLists.normalize("/assets/app.3f2c.js")).isEqualTo("/assets/app.3f2c.js");
    assertThat(TopLists.normalize("/")).isEqualTo("/");
    assertThat(TopLists.normalize("")).isEqualTo("/");
  }

  @Test
  void eachSiteAdmitsABoundedNumberOfKeysPerHourAndCountsTheRestAsOther() {
    TopLists top = new TopLists();
    Instant t = Instant.parse("2026-11-27T10:15:00Z");
    for (int i = 0; i < TopLists.PER_HOUR; i++) {
      top.count(t, "shop", "/p/item-" + i, "10.0." + (i / 250) + "." + (i % 250), 200);
    }
    top.count(t, "shop", "/p/item-new", "192.0.2.1", 503); // over the limit: (other)
    top.count(t, "shop", "/p/item-5", "10.0.0.5", 200); // admitted keys keep counting
    top.count(t, "blog", "/p/item-new", "192.0.2.1", 200); // another site has its own room
    top.count(t.plusSeconds(3600), "shop", "/p/item-new", null, 404); // a new hour too
    top.count(t, "shop", "/orders/991", "not-an-ip", 200);

    Map<String, TopLists.Count> paths = byKey(top.drainPaths());
    assertThat(paths.get("shop 10 (other)").requests()).isEqualTo(2); // item-new and /orders/:id
    assertThat(paths.get("shop 10 (other)").errors()).isEqualTo(1);
    assertThat(paths.get("shop 10 /p/item-5").requests()).isEqualTo(2);
    assertThat(paths.get("blog 10 /p/item-new").requests()).isEqualTo(1);
    assertThat(paths.get("shop 11 /p/item-new").requests()).isEqualTo(1);
    Map<String, TopLists.Count> clients = byKey(top.drainClients());
    assertThat(clients.get("shop 10 " + TopLists.OTHER_CLIENT).requests()).isEqualTo(1);
    assertThat(clients.get("shop 10 " + TopLists.OTHER_CLIENT).errors()).isEqualTo(1);
    assertThat(clients.get("shop 10 10.0.0.5").requests()).isEqualTo(2);
    assertThat(clients.keySet()).noneMatch(k -> k.contains("not-an-ip"));

    // Drained counts are gone; put back (a failed write), they come out again.
    assertThat(top.drainPaths()).isEmpty();
    top.restore(List.of(paths.get("shop 10 /p/item-5")), List.of());
    assertThat(top.drainPaths()).singleElement().extracting(TopLists.Count::requests).isEqualTo(2L);
  }

  private static Map<String, TopLists.Count> byKey(List<TopLists.Count> counts) {
    Map<String, TopLists.Count> m = new HashMap<>();
    for (TopLists.Count c : counts) {
      m.put(c.site() + " " + c.hour().atZone(java.time.ZoneOffset.UTC).getHour() + " " + c.key(), c);
    }
    return m;
  }
}
