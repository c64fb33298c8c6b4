package io.frontdesk.demo;

import static io.frontdesk.testing.Http.Admin.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.RawHttp;
import io.frontdesk.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The demo's page says what its backends do; this holds it to that. */
class DemoTest {

  private static final Pattern BACKEND = Pattern.compile("(?i)x-demo-backend: ([AB])");

  @Test
  void onOneConnectionTheTwoBackendsTakeTurnsAsThePageSays() throws Exception {
    try (TestNode node = TestNode.start()) {
      expect(200, node.admin().post("/demo", null));
      List<String> backends = new ArrayList<>();
      String page = null;
      try (Socket s = new Socket("127.0.0.1", node.proxyPort())) {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int i = 1; i <= 8; i++) {
          s.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          while (RawHttp.count(seen.toString(StandardCharsets.UTF_8), "</p>\n") < i) {
            int n = in.read(buf);
            assertThat(n).as("the connection stays open").isPositive();
            seen.write(buf, 0, n);
          }
          page = seen.toString(StandardCharsets.UTF_8);
        }
        Matcher m = BACKEND.matcher(page);
        while (m.find()) {
          backends.add(m.group(1));
        }
      }
      assertThat(page).contains("Reload: the two backends take turns on each connection");
      assertThat(backends).hasSize(8);
      for (int i = 1; i < backends.size(); i++) {
        assertThat(backends.get(i)).as("answer %d of %s", i + 1, backends).isNotEqualTo(backends.get(i - 1));
      }
    }
  }
}
