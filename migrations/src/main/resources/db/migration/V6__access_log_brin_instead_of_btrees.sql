-- Measured with bench/access-log-cost.sh and a COPY harness (2 cores, PostgreSQL 17): a stored
-- row costs the server ~6 us of CPU for the heap, ~4 us for the primary key and ~4 us more for each
-- of the B-tree/hash indexes below, while a BRIN index costs next to nothing. Writers now COPY
-- each batch ordered by (site, client address), so BRIN summaries of those columns skip the pages
-- of other sites and other addresses; the primary key still serves newest-first over a time range.

-- Request ids begin with the millisecond they were made: a search by id looks at the minutes
-- around that time through the primary key (an id made elsewhere scans the searched range).
DROP INDEX IF EXISTS access_log_request_id;
DROP INDEX IF EXISTS access_log_site_ts;
DROP INDEX IF EXISTS access_log_client_ts;
CREATE INDEX access_log_site_client_brin ON access_log
    USING brin (site, client_ip inet_inclusion_ops) WITH (pages_per_range = 4, autosummarize = on);
