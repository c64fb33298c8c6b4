-- Access log: one row per exchange, partitioned by day (partitions are created ahead and dropped
-- by retention at run time). (ts, node, seq) identifies a row, so replaying a spool never
-- duplicates one.
CREATE TABLE access_log (
    ts              timestamptz NOT NULL,
    node            text        NOT NULL,
    seq             bigint      NOT NULL,
    request_id      text        NOT NULL,
    site            text,
    route           text,
    upstream        text,
    target          text,
    method          text        NOT NULL,
    scheme          text,
    protocol        text,
    host            text,
    path            text        NOT NULL,
    query           text,
    status          smallint    NOT NULL,
    request_bytes   bigint      NOT NULL DEFAULT 0,
    response_bytes  bigint      NOT NULL DEFAULT 0,
    duration_us     bigint      NOT NULL,
    upstream_us     bigint,
    client_ip       inet,
    user_agent      text,
    referer         text,
    tls_version     text,
    retries         smallint    NOT NULL DEFAULT 0,
    details         text,
    filters         jsonb,
    attributes      jsonb,
    PRIMARY KEY (ts, node, seq)
) PARTITION BY RANGE (ts);

-- Query patterns: newest first (optionally per site/route), by status, slowest, by client, by id.
CREATE INDEX access_log_ts ON access_log (ts DESC);
CREATE INDEX access_log_site_ts ON access_log (site, ts DESC);
CREATE INDEX access_log_route_ts ON access_log (route, ts DESC);
CREATE INDEX access_log_status_ts ON access_log (status, ts DESC);
CREATE INDEX access_log_duration ON access_log (duration_us DESC);
CREATE INDEX access_log_client_ts ON access_log (client_ip, ts DESC);
CREATE INDEX access_log_request_id ON access_log (request_id);

-- Text search over path and user agent uses trigrams where the server has pg_trgm.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE INDEX access_log_path_trgm ON access_log USING gin (path gin_trgm_ops);
    CREATE INDEX access_log_ua_trgm ON access_log USING gin (user_agent gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%); text search over logs scans the time range instead', SQLERRM;
END
$$;

-- Latency buckets: 0 = under 100 us, then 8 per decade (a factor of ~1.33), up to ~100 s.
CREATE FUNCTION access_log_latency_bucket(us bigint) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT CASE WHEN us < 100 THEN 0
               ELSE least(48, 1 + floor(8 * log(us::numeric / 100)))::smallint END $$;

-- The upper bound of a bucket, in us (what a percentile falling in the bucket is reported as).
CREATE FUNCTION access_log_bucket_upper_us(b smallint) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT 100 * power(10, b / 8.0) $$;

-- Rollups for charts and statistics: per minute and per hour, per site, route and status, with
-- a latency histogram, plus per-hour counts by path and by client.
CREATE TABLE access_log_rollup (
    grain          char(1)     NOT NULL CHECK (grain IN ('m', 'h')),
    bucket         timestamptz NOT NULL,
    site           text        NOT NULL,
    route          text        NOT NULL,
    status         smallint    NOT NULL,
    requests       bigint      NOT NULL,
    request_bytes  bigint      NOT NULL,
    response_bytes bigint      NOT NULL,
    duration_us    bigint      NOT NULL,
    PRIMARY KEY (grain, bucket, site, route, status)
);

CREATE TABLE access_log_latency (
    grain    char(1)     NOT NULL,
    bucket   timestamptz NOT NULL,
    site     text        NOT NULL,
    route    text        NOT NULL,
    lb       smallint    NOT NULL,
    requests bigint      NOT NULL,
    PRIMARY KEY (grain, bucket, site, route, lb)
);

CREATE TABLE access_log_top_paths (
    bucket   timestamptz NOT NULL,
    site     text        NOT NULL,
    path     text        NOT NULL,
    requests bigint      NOT NULL,
    errors   bigint      NOT NULL,
    PRIMARY KEY (bucket, site, path)
);

CREATE TABLE access_log_top_clients (
    bucket    timestamptz NOT NULL,
    site      text        NOT NULL,
    client_ip inet        NOT NULL,
    requests  bigint      NOT NULL,
    errors    bigint      NOT NULL,
    PRIMARY KEY (bucket, site, client_ip)
);

-- Nodes sharing this database: heartbeat, applied config version, traffic.
CREATE TABLE nodes (
    id             text        PRIMARY KEY,
    started_at     timestamptz NOT NULL,
    last_seen      timestamptz NOT NULL,
    version        text        NOT NULL,
    config_version bigint      NOT NULL,
    info           jsonb       NOT NULL DEFAULT '{}'
);
