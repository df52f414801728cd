-- wrk script for bench/run.py: cycles through the requests listed in the file named by BENCH_TARGETS (one
-- "path<TAB>cookie" a line), and prints a summary as one JSON line starting with BENCH-JSON.
local targets = {}
local position = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_TARGETS")) do
    local path, cookie = line:match("^([^\t]+)\t?(.*)$")
    if path then
      table.insert(targets, {path = path, cookie = cookie})
    end
  end
  position = math.random(#targets) - 1
end

function request()
  position = position % #targets + 1
  local target = targets[position]
  local headers = {}
  if target.cookie ~= "" then
    headers["Cookie"] = target.cookie
  end
  return wrk.format("GET", target.path, headers)
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH-JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d}, "latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p95": %d, ' ..
    '"p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, summary.bytes, errors.connect, errors.read, errors.write, errors.status,
    errors.timeout, latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max))
end
