package io.frontdesk.accesslog;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Charts get a bucket for every step of the range, zeros where there was no traffic. */
class ChartBucketsTest {

  @Test
  void statisticsHaveABucketForEveryStepOfTheWindowWithZerosWhereNothingHappened() throws Exception {
    try (TestBackend backend = TestBackend.start("be"); TestNode node = TestNode.start()) {
      Http.Admin api = node.admin();
      api.simpleRoute("chart", "*", backend.port());
      for (int i = 0; i < 3; i++) {
        assertThat(Http.get(node.proxy() + "/c").status()).isEqualTo(200);
      }
      long deadline = System.currentTimeMillis() + 15_000;
      while (expect(200, api.get("/logs/stats?from=10m&bucket=1m")).json().getJsonObject("totals")
          .getLong("requests") < 3) {
        assertThat(System.currentTimeMillis()).as("rollups stored").isLessThan(deadline);
        Thread.sleep(100);
      }

      Instant asked = Instant.now();
      JsonObject hour = expect(200, api.get("/logs/stats?from=1h&bucket=auto")).json();
      assertThat(hour.getLong("bucketSeconds")).isEqualTo(60);
      JsonArray buckets = hour.getJsonArray("buckets");
      assertEvenlySpaced(buckets, 60);
      assertThat(buckets.size()).isBetween(60, 61);
      assertThat(Instant.parse(buckets.getJsonObject(0).getString("t")))
          .isBeforeOrEqualTo(asked.minusSeconds(3600)).isAfter(asked.minusSeconds(3660));
      assertThat(Instant.parse(buckets.getJsonObject(buckets.size() - 1).getString("t")))
          .as("the last bucket holds now, none lies ahead").isAfter(Instant.now().minusSeconds(61))
          .isBeforeOrEqualTo(Instant.now());
      long withTraffic = buckets.stream().filter(b -> ((JsonObject) b).getLong("requests") > 0).count();
      assertThat(withTraffic).isBetween(1L, 2L);
      JsonObject quiet = buckets.getJsonObject(0);
      assertThat(quiet.getLong("requests")).isZero();
      assertThat(quiet.getDouble("errorRate")).isZero();
      assertThat(quiet.containsKey("p99Ms")).isTrue();
      assertThat(quiet.getValue("p99Ms")).isNull();

      JsonArray day = expect(200, api.get("/logs/stats?from=24h&bucket=1h")).json().getJsonArray("buckets");
      assertEvenlySpaced(day, 3600);
      assertThat(day.size()).isBetween(24, 25);
    }
  }

  @Test
  void liveFiguresHaveASampleForEverySecondAskedEvenBeforeTheNodeStarted() {
    try (TestNode node = TestNode.start()) {
      long now = Instant.now().getEpochSecond();
      JsonArray samples = expect(200, node.admin().get("/live?seconds=60")).json().getJsonArray("samples");
      assertThat(samples).hasSize(60);
      for (int i = 1; i < samples.size(); i++) {
        assertThat(samples.getJsonObject(i).getLong("ts") - samples.getJsonObject(i - 1).getLong("ts")).isEqualTo(1);
      }
      assertThat(samples.getJsonObject(59).getLong("ts")).isBetween(now - 3, now);
      JsonObject quiet = samples.getJsonObject(0);
      assertThat(quiet.getJsonObject("all").getLong("requests")).isZero();
      assertThat(quiet.getJsonArray("sites")).isEmpty();
    }
  }

  private static void assertEvenlySpaced(JsonArray buckets, long seconds) {
    for (int i = 1; i < buckets.size(); i++) {
      Instant a = Instant.parse(buckets.getJsonObject(i - 1).getString("t"));
      Instant b = Instant.parse(buckets.getJsonObject(i).getString("t"));
      assertThat(b.getEpochSecond() - a.getEpochSecond()).as("bucket %d after %s", i, a).isEqualTo(seconds);
    }
  }
}
