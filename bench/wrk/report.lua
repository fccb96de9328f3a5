-- Prints the run's figures as one JSON line (latencies in milliseconds).
-- Loaded after a scenario script, or alone for plain GET requests.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write("BENCH_JSON ", string.format(
    '{"requests":%d,"duration_s":%.3f,"bytes":%d,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},'
      .. '"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f,"max_ms":%.2f,"mean_ms":%.2f}\n',
    summary.requests, summary.duration / 1e6, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000))
end
