#!/usr/bin/env python3
"""Summarises wrk --latency outputs: `wrk-summary.py DIR BASE LABEL...` reads DIR/LABEL.1, DIR/LABEL.2, …
and prints per label the median req/s, p50, p99, errors, transfer/s and the ratio to label BASE."""
import glob, re, statistics, sys

def ms(s):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", s.strip())
    if not m:
        return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v * 60000 if u == "m" else v

def mb(s):
    m = re.match(r"([\d.]+)([KMG]?B)", s.strip())
    return float(m.group(1)) * {"B": 1 / 2**20, "KB": 1 / 1024, "MB": 1, "GB": 1024}[m.group(2)]

def errors(t):
    n = 0
    e = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
    n += int(e.group(1)) if e else 0
    e = re.search(r"Socket errors: (.*)", t)
    n += sum(int(x) for x in re.findall(r"\d+", e.group(1))) if e else 0
    return n

w, base, labels = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = {}
for label in labels:
    rps, p50, p99, tx, err = [], [], [], [], 0
    for f in sorted(glob.glob(f"{w}/{label}.[0-9]*")):
        t = open(f).read()
        rps.append(float(re.search(r"Requests/sec:\s+([\d.]+)", t).group(1)))
        p50.append(ms(re.search(r"50%\s+(\S+)", t).group(1)))
        p99.append(ms(re.search(r"99%\s+(\S+)", t).group(1)))
        tx.append(mb(re.search(r"Transfer/sec:\s+(\S+)", t).group(1)))
        err += errors(t)
    rows[label] = (statistics.median(rps), statistics.median(p50), statistics.median(p99), statistics.median(tx), err, rps)
b = rows[base][0]
print(f"{'':22} {'req/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'MiB/s':>7} {'errors':>6} {'x ' + base:>12}   rounds")
for label, (rps, p50, p99, tx, err, all_) in rows.items():
    print(f"{label:22} {rps:9.0f} {p50:7.2f} {p99:7.2f} {tx:7.1f} {err:6d} {rps / b:12.2f}   {' '.join(f'{x:.0f}' for x in all_)}")
