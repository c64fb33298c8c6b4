package io.frontdesk;

import io.frontdesk.auth.AdminAuth;
import io.frontdesk.auth.InitialPasswordFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * What the first start on an empty database made for the operator: the account {@code admin} (its
 * random password in a file only the owner may read) and the admin API token
 * {@value AdminAuth#FIRST_START_TOKEN}, which the console shows once with a first-site example
 * that uses it ({@link Banner}).
 *
 * @param generatedAdminPassword the random first password, or {@code null} (chosen, or not a first start)
 * @param initialPasswordFile where that password is (mode 0600), or {@code null}
 * @param token the first-start API token to show once, or {@code null} (not a first start)
 */
record FirstStart(String generatedAdminPassword, Path initialPasswordFile, String token) {

  static final FirstStart NONE = new FirstStart(null, null, null);

  static Future<FirstStart> run(Vertx vertx, AdminAuth auth, String adminPassword, Path dataDir) {
    return auth.ensureFirstAdmin(adminPassword).compose(first -> {
      if (!first.created()) {
        return Future.succeededFuture(NONE);
      }
      String pw = first.generatedPassword();
      return auth.createFirstStartToken().compose(token -> vertx.executeBlocking(() ->
          new FirstStart(pw, pw == null ? null : InitialPasswordFile.write(dataDir, pw), token)));
    });
  }
}
