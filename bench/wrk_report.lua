-- wrk script of the benchmarks: after the run, done() prints one line
--   WRK_JSON {...}
-- with requests, duration, latency percentiles (microseconds) and errors, for
-- bench/wrkrun.py to read. Responses other than 2xx are counted in response() (wrk's own
-- status count only sees >= 400, and a 302 to the sign-in page must count as a failure).

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    non2xx = 0
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
    end
end

function done(summary, latency, requests)
    local bad = 0
    for _, thread in ipairs(threads) do
        bad = bad + (thread:get("non2xx") or 0)
    end
    local e = summary.errors
    io.write(string.format(
        'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, '
        .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, '
        .. '"latency_us": {"p50": %d, "p95": %d, "p99": %d, "mean": %.1f, "max": %d}}\n',
        summary.requests, summary.duration, summary.bytes, bad,
        e.connect, e.read, e.write, e.status, e.timeout,
        latency:percentile(50), latency:percentile(95), latency:percentile(99),
        latency.mean, latency.max))
end
