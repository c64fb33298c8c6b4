package io.frontdesk.admin;

import io.frontdesk.validation.FieldError;
import io.frontdesk.validation.InvalidConfigException;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query parameters each GET endpoint knows. A parameter an endpoint does not know is refused
 * (400, the parameter as the field) instead of being ignored: {@code /logs?stauts=500} would
 * otherwise answer unfiltered rows as if they were the 500s. Every GET route declares its
 * parameters here ({@link #only}); {@link #requireDeclared} makes the admin server refuse to start
 * when one does not, so a new endpoint cannot forget.
 */
final class QueryParams {

  private static final String KNOWN = "frontdesk.queryParams";

  private QueryParams() {
  }

  /** Lets {@code route} take only {@code names}; returns it for its own handler. */
  static Route only(Route route, Set<String> names) {
    return only(route, names, Map.of());
  }

  static Route only(Route route, String... names) {
    return only(route, Set.of(names), Map.of());
  }

  /**
   * @param hints messages for parameters the endpoint does not take but a related one does (so
   *     the answer can say where they work)
   */
  static Route only(Route route, Set<String> names, Map<String, String> hints) {
    Set<String> known = Set.copyOf(names);
    String listed = known.isEmpty() ? "it takes none" : "known: " + String.join(", ", new TreeSet<>(known));
    return route.putMetadata(KNOWN, known).handler(ctx -> {
      List<FieldError> errors = new ArrayList<>();
      for (String name : new TreeSet<>(ctx.queryParams().names())) {
        if (!known.contains(name)) {
          String hint = hints.get(name);
          errors.add(new FieldError(name, hint != null ? hint
              : "is not a parameter of " + ctx.request().method() + " " + ctx.request().path() + "; " + listed));
        }
      }
      if (!errors.isEmpty()) {
        throw new InvalidConfigException(errors);
      }
      ctx.next();
    });
  }

  /** @throws IllegalStateException naming the GET routes of {@code api} that declare no parameters */
  static void requireDeclared(Router api) {
    List<String> missing = new ArrayList<>();
    for (Route r : api.getRoutes()) {
      Set<HttpMethod> methods = r.methods();
      if (methods != null && methods.contains(HttpMethod.GET) && r.getMetadata(KNOWN) == null) {
        missing.add("GET " + r.getPath());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("admin API routes without declared query parameters: " + missing);
    }
  }
}
