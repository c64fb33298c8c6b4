package io.frontdesk.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontdesk.testing.Http;
import io.frontdesk.testing.TestBackend;
import io.frontdesk.testing.TestDatabase;
import io.frontdesk.testing.TestNode;
import org.junit.jupiter.api.Test;

/** A CSV export never hands a spreadsheet a formula that a client wrote into a request. */
class LogExportCsvTest {

  @Test
  void cellsThatWouldRunAsFormulasAreQuoted() throws Exception {
    try (TestNode node = TestNode.start(); TestBackend backend = TestBackend.start("be")) {
      node.admin().simpleRoute("app", "*", backend.port());
      Http.get(node.proxy() + "/a", "User-Agent", "=HYPERLINK(\"http://evil\",\"x\")", "Referer", "@SUM(1+1)");
      Http.get(node.proxy() + "/b", "User-Agent", "+1+2", "Referer", "-2+3");
      Http.get(node.proxy() + "/c", "User-Agent", "fine", "Referer", "http://fine/");
      long deadline = System.nanoTime() + 15_000_000_000L;
      while (System.nanoTime() < deadline
          && ((Number) TestDatabase.queryOne(node.dbUrl(), "SELECT count(*) FROM access_log")).longValue() < 3) {
        Thread.sleep(100);
      }
      String csv = Http.Admin.expect(200, node.admin().get("/logs/export?format=csv")).body();
      assertThat(csv).contains(",\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",").contains(",'@SUM(1+1),")
          .contains(",'+1+2,'-2+3,").contains(",fine,http://fine/,");
      for (String line : csv.split("\n")) {
        for (String cell : line.split(",")) {
          assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("@");
        }
      }
    }
  }
}
