package io.frontdesk.plugins.logsyslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.api.log.AccessLogRecord;
import io.frontdesk.testkit.FrontdeskTestKit;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 5424 messages over UDP and TCP from real traffic, and the formatting rules on their own. */
class SyslogSinkTest {

  /** HEADER and STRUCTURED-DATA of RFC 5424, then MSG. */
  static final Pattern RFC5424 = Pattern.compile(
      "<(\\d{1,3})>1 (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z) (\\S{1,255}) (\\S{1,48}) (\\S{1,128}) (\\S{1,32}) "
          + "(\\[frontdesk@32473(?: [a-zA-Z]+=\"(?:[^\"\\\\\\]]|\\\\.)*\")*\\]) (.*)", Pattern.DOTALL);

  static FrontdeskTestKit fd;

  @BeforeAll
  static void start() {
    fd = FrontdeskTestKit.builder().plugin("log-syslog", new SyslogSinkFactory()).start();
    fd.routeToBackend("app", "/");
  }

  @AfterAll
  static void stop() {
    fd.close();
  }

  static List<String> send(int n, String path) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FrontdeskTestKit.Response r = fd.get(path + i);
      assertThat(r.status()).isEqualTo(200);
      ids.add(r.header("x-request-id"));
    }
    return ids;
  }

  static List<String> requestIds(List<String> messages) {
    List<String> ids = new ArrayList<>();
    for (String m : messages) {
      Matcher x = RFC5424.matcher(m);
      assertThat(x.matches()).as(m).isTrue();
      ids.add(new JsonObject(x.group(8)).getString("requestId"));
    }
    return ids;
  }

  @Test
  void udpCarriesOneRfc5424MessagePerExchange() throws Exception {
    try (SyslogReceiver receiver = SyslogReceiver.udp()) {
      String binding = fd.bind("log-syslog", "global", null, new JsonObject().put("host", "127.0.0.1")
          .put("port", receiver.port()).put("facility", 16).put("appName", "edge").put("hostname", "node-a"));
      List<String> ids = send(5, "/udp/");
      List<String> got = receiver.await(5);
      assertThat(requestIds(got)).containsExactlyInAnyOrderElementsOf(ids);
      Matcher m = RFC5424.matcher(got.get(0));
      assertThat(m.matches()).isTrue();
      assertThat(m.group(1)).isEqualTo("134"); // local0 (16) * 8 + informational (6)
      assertThat(m.group(3)).isEqualTo("node-a");
      assertThat(m.group(4)).isEqualTo("edge");
      assertThat(m.group(6)).isEqualTo("access");
      assertThat(m.group(7)).contains("status=\"200\"").contains("route=\"app\"");
      fd.admin("DELETE", "/plugins/log-syslog/bindings/" + binding, null);
    }
  }

  @Test
  void tcpFramesByOctetCountKeepsOrderAndCatchesUpWhenTheCollectorComesLate() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // free now; nothing listens until the collector starts below
    }
    String binding = fd.bind("log-syslog", "global", null, new JsonObject().put("host", "127.0.0.1")
        .put("port", port).put("protocol", "tcp"));
    List<String> early = send(10, "/tcp-early/");
    Thread.sleep(300); // a reconnect attempt or two fails meanwhile; proxying is unaffected
    try (SyslogReceiver receiver = SyslogReceiver.tcp(port)) {
      List<String> got = receiver.await(10);
      assertThat(requestIds(got)).containsExactlyElementsOf(early);
      List<String> late = send(10, "/tcp-late/");
      List<String> all = new ArrayList<>(early);
      all.addAll(late);
      assertThat(requestIds(receiver.await(20))).containsExactlyElementsOf(all);
    }
    fd.admin("DELETE", "/plugins/log-syslog/bindings/" + binding, null);
  }

  @Test
  void severityFollowsTheStatusAndParamValuesAreEscaped() {
    Vertx vertx = Vertx.vertx();
    try {
      SyslogSink sink = new SyslogSink(vertx, "127.0.0.1", 514, "udp", 1, "fd", "h");
      AccessLogRecord ok = FrontdeskTestKit.sampleRecord("a\"b]c\\d", 200);
      AccessLogRecord notFound = FrontdeskTestKit.sampleRecord("x", 404);
      AccessLogRecord failed = FrontdeskTestKit.sampleRecord("y", 502);
      assertThat(sink.format(ok)).startsWith("<14>1 ").contains("requestId=\"a\\\"b\\]c\\\\d\"");
      assertThat(sink.format(notFound)).startsWith("<12>1 ");
      assertThat(sink.format(failed)).startsWith("<11>1 ");
      assertThat(RFC5424.matcher(sink.format(ok)).matches()).isTrue();
    } finally {
      vertx.close();
    }
  }

  @Test
  void longDatagramsAreCutOnACharacterBoundary() {
    byte[] text = "aé€".repeat(1000).getBytes(StandardCharsets.UTF_8);
    for (int max = 100; max < 110; max++) {
      byte[] cut = SyslogSink.truncate(text, max);
      assertThat(cut.length).isLessThanOrEqualTo(max).isGreaterThan(max - 4);
      assertThat(new String(cut, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)).isEqualTo(cut);
    }
  }
}
