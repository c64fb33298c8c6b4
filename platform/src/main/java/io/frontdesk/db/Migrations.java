package io.frontdesk.db;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Brings the database schema up to date with Flyway (blocking: run it off the event loop). */
public final class Migrations {

  private Migrations() {
  }

  /** @return the schema version after migrating */
  public static String migrate(DatabaseConfig db) {
    Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(db.jdbcUrl(), db.user(), db.password())
        .locations("classpath:db/migration")
        .connectRetries(10)
        .load();
    MigrateResult r = flyway.migrate();
    return r.targetSchemaVersion != null ? r.targetSchemaVersion : String.valueOf(flyway.info().current().getVersion());
  }
}
