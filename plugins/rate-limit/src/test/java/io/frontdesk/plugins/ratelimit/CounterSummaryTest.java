package io.frontdesk.plugins.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class CounterSummaryTest {

  @Test
  void logsTheTotalsWhileTheyMoveAndStaysQuietOtherwise() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(CounterSummary.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    logger.addAppender(lines);
    Vertx vertx = Vertx.vertx();
    try {
      RateLimitConfig config = RateLimitConfig.parse(new JsonObject().put("dryRun", true).put("limits",
          new JsonArray().add(new JsonObject().put("key", "client-ip").put("rate", "5/s"))));
      BindingCounters counters = new BindingCounters();
      CounterSummary summary = new CounterSummary(vertx, 50, counters, config);
      counters.allowed.increment();
      counters.wouldLimit.increment();
      summary.start();
      Thread.sleep(400); // several periods, one change
      summary.stop();
      assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
          "rate-limit [client-ip 5/s] (local, dry run): allowed=1 limited=0 wouldLimit=1 delayed=0 "
              + "concurrencyLimited=0 storeFailures=0");
    } finally {
      logger.detachAppender(lines);
      vertx.close();
    }
  }
}
