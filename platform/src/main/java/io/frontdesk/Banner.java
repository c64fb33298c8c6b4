package io.frontdesk;

import io.frontdesk.auth.AdminAuth;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What the console shows once the node is up: where everything listens, where the first password
 * is, the first-start API token (once), and — while there are no routes — a first site as shell
 * commands that work as printed (the README's quick start uses the same variables: {@code TOKEN},
 * {@code A}, {@code AUTH}).
 */
final class Banner {

  /** The app the example sends traffic to; the README says the same. */
  static final int EXAMPLE_APP_PORT = 3000;

  private Banner() {
  }

  static void print(PrintStream out, Frontdesk node) {
    Settings s = node.settings();
    String admin = "http://" + host(s.adminBind()) + ":" + node.adminPort();
    out.println();
    out.println("Frontdesk " + Frontdesk.version() + " is running (node " + s.nodeId() + ")");
    out.printf("  proxy      http://%s:%d   HTTP/1.1 and h2c, %s transport%n", s.bind(), node.httpPort(),
        node.transport());
    if (node.httpsPort() >= 0) {
      out.printf("             https://%s:%d  HTTP/1.1 and h2 (TLS)%n", s.bind(), node.httpsPort());
    }
    out.printf("  admin      %s   dashboard; API at %s/api/v1 (OpenAPI: /api/v1/openapi.json)%n", admin, admin);
    out.printf("  database   %s%n", s.embeddedDatabase()
        ? "embedded PostgreSQL 17, data in " + s.dataDir().resolve("postgres") : node.database().describe());
    out.printf("  plugins    %s%n", s.pluginsDir());
    if (node.initialPasswordFile() != null) {
      out.println();
      out.println("Sign in to " + admin + " as 'admin' with the password in " + node.initialPasswordFile());
      out.println("(readable by this user only; delete it once you have signed in and changed the password,");
      out.println("or set FRONTDESK_ADMIN_PASSWORD on a first start to choose it).");
    }
    String token = node.firstStartToken();
    boolean noRoutes = node.snapshots().current().routes().isEmpty();
    if (token != null) {
      out.println();
      out.println("An admin API token for scripts was made on this first start; it is shown only now (Frontdesk");
      out.println("keeps its hash, as the token '" + AdminAuth.FIRST_START_TOKEN + "' of the account admin). Revoke it"
          + " under Access in the dashboard, or:");
      out.println("  curl -X DELETE " + admin + "/api/v1/tokens/" + AdminAuth.FIRST_START_TOKEN
          + " -H \"Authorization: Bearer $TOKEN\"");
      if (!noRoutes) {
        out.println("  TOKEN=" + token);
      }
    }
    if (noRoutes) {
      out.println();
      out.println("No routes yet. Send your first site through Frontdesk (say your app listens on 127.0.0.1:"
          + EXAMPLE_APP_PORT + "):");
      if (token != null) {
        out.println("  TOKEN=" + token);
      } else {
        out.println("  (TOKEN: the token printed at the first start, one made under Access in the dashboard,");
        out.println("  or the --admin-token / FRONTDESK_ADMIN_TOKEN this node was started with)");
      }
      firstSite(admin + "/api/v1", "http://" + host(s.bind()) + ":" + node.httpPort() + "/").forEach(out::println);
      out.println("Or open " + admin + " in a browser.");
    }
    out.println();
    out.flush();
  }

  /** @return the example's shell lines: three API calls with {@code $TOKEN}, then a request to the proxy */
  static List<String> firstSite(String api, String proxy) {
    String post = "  curl -X POST $A/%s -H \"$AUTH\" -H 'content-type: application/json' ";
    List<String> lines = new ArrayList<>();
    lines.add("  A=" + api + "; AUTH=\"Authorization: Bearer $TOKEN\"");
    lines.add(String.format(post, "upstreams") + "\\");
    lines.add("       -d '{\"name\":\"app\",\"targets\":[{\"host\":\"127.0.0.1\",\"port\":" + EXAMPLE_APP_PORT
        + "}]}'");
    lines.add(String.format(post, "sites") + "-d '{\"name\":\"app\",\"hosts\":[\"*\"]}'");
    lines.add(String.format(post, "routes") + "\\");
    lines.add("       -d '{\"name\":\"app\",\"site\":\"app\",\"upstream\":\"app\"}'");
    lines.add("  curl " + proxy);
    return lines;
  }

  /** The address to reach a listener bound to {@code bind}: a wildcard is reached on localhost. */
  private static String host(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") ? "localhost" : bind.contains(":") ? "[" + bind + "]" : bind;
  }
}
