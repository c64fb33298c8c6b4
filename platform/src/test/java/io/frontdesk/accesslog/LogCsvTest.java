package io.frontdesk.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Formula neutralising for what cannot reach the log through a header (tab and CR lead-ins). */
class LogCsvTest {

  @Test
  void tabAndCarriageReturnLeadInsAreQuotedToo() {
    String line = LogCsv.line(new JsonObject().put("path", "\t=1").put("query", "\r=2").put("details", "-")
        .put("status", -1));
    assertThat(line).contains(",'\t=1,\"'\r=2\",-1,").endsWith(",'-");
  }
}
