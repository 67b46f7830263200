-- wrk reporter for bench/run.sh: one JSON line with the run's totals and latency percentiles (µs).
-- errors.status counts answers of 400 and above.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"p50":%.1f,"p90":%.1f,"p99":%.1f,"max":%.1f,"errors":%d,"non2xx":%d,"bytes":%d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, e.connect + e.read + e.write + e.timeout, e.status, summary.bytes))
end
