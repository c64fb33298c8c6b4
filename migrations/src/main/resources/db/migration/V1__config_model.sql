-- Configuration: sites, upstreams, routes and plugin bindings.
-- Names and references are columns (so PostgreSQL enforces uniqueness and integrity);
-- the rest of each resource lives in a JSONB "spec" validated by the admin API.

CREATE TABLE config_state (
    id      smallint PRIMARY KEY CHECK (id = 1),
    version bigint   NOT NULL
);
INSERT INTO config_state (id, version) VALUES (1, 0);

CREATE TABLE sites (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text        NOT NULL UNIQUE,
    spec       jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per host name so that a host can belong to one site only.
CREATE TABLE site_hosts (
    host    text PRIMARY KEY,
    site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE
);
CREATE INDEX site_hosts_site ON site_hosts (site_id);

CREATE TABLE upstreams (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text        NOT NULL UNIQUE,
    spec       jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE routes (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name        text        NOT NULL UNIQUE,
    site_id     uuid        NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
    upstream_id uuid        NOT NULL REFERENCES upstreams (id) ON DELETE RESTRICT,
    spec        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX routes_site ON routes (site_id);
CREATE INDEX routes_upstream ON routes (upstream_id);

CREATE TABLE plugin_bindings (
    id         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    plugin_id  text        NOT NULL,
    scope      text        NOT NULL CHECK (scope IN ('global', 'site', 'route')),
    site_id    uuid        REFERENCES sites (id) ON DELETE CASCADE,
    route_id   uuid        REFERENCES routes (id) ON DELETE CASCADE,
    spec       jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((scope = 'global' AND site_id IS NULL AND route_id IS NULL)
        OR (scope = 'site' AND site_id IS NOT NULL AND route_id IS NULL)
        OR (scope = 'route' AND route_id IS NOT NULL AND site_id IS NULL))
);
CREATE INDEX plugin_bindings_plugin ON plugin_bindings (plugin_id);

-- Every committed configuration version: who changed what, and the whole configuration after it
-- (small: it is what the dashboard diffs and what a rollback restores).
CREATE TABLE config_history (
    version    bigint      PRIMARY KEY,
    changed_at timestamptz NOT NULL DEFAULT now(),
    actor      text        NOT NULL,
    action     text        NOT NULL,
    document   jsonb       NOT NULL
);
