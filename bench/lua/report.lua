-- Prints one machine-readable line at the end of a wrk run; run.sh reads it (latencies in microseconds).
-- "status" counts answers that are neither 2xx nor 3xx: expected for the 404 scenario, ~5 % for the 503 one.
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d bytes=%d connect=%d read=%d write=%d status=%d timeout=%d "
         .. "p50=%d p90=%d p99=%d p999=%d max=%d\n",
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
      latency.max))
end
