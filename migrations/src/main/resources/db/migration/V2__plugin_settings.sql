-- Plugins an operator switched off for every node (bindings stay, but do not run).
CREATE TABLE plugin_settings (
    plugin_id  text        PRIMARY KEY,
    enabled    boolean     NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
