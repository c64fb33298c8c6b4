-- Measured with bench/access-log-cost.sh and a COPY harness (2 cores, PostgreSQL 17): a stored
-- row costs the server ~6 us of CPU for the heap, ~4 us for the primary key and ~4 us more for each
-- of the B-tree/hash indexes below, while a BRIN index costs next to nothing. Writers now COPY
-- each batch in site order, so min/max summaries of the site skip the pages of other sites, and
-- Bloom summaries of the address skip pages without it; the primary key still serves newest-first
-- over a time range.

-- Request ids begin with the millisecond they were made: a search by id looks at the minutes
-- around that time through the primary key (an id made elsewhere scans the searched range).
DROP INDEX IF EXISTS access_log_request_id;
DROP INDEX IF EXISTS access_log_site_ts;
DROP INDEX IF EXISTS access_log_client_ts;
-- Not autosummarize: at thousands of rows a second its requests overflow autovacuum's work-item
-- queue (and fill the server log); the writer summarizes new pages every few seconds instead, and
-- pages not summarized yet are always read, so a search never misses a row.
-- Sites: min/max per 4-page range (batches are written in site order, so a range holds one or
-- two). Clients: a Bloom filter per range (an address is in few ranges wherever it falls; at
-- 0.1 % false positives a search for one address read 48 of 37,000 pages of 2 million rows, where
-- min/max summaries read 4,600; over 10 million rows in 3 days it took 61 ms, 639 ms with
-- min/max). Summarizing costs ~0.3 us a row.
CREATE INDEX access_log_site_client_brin ON access_log
    USING brin (site, client_ip inet_bloom_ops (n_distinct_per_range = 256, false_positive_rate = 0.001))
    WITH (pages_per_range = 4);
