-- One endpoint class for scripts/soak: cycles through the paths given after `--`, counts the
-- answers by status across all threads, and prints one machine-readable RESULT line at the end.
--   wrk ... -s class.lua URL -- GET /path1 /path2
--   wrk ... -s class.lua URL -- POST /path   (the body comes from SOAK_BODY, its type from SOAK_CTYPE)
-- Extra headers (Cookie, X-CSRF-Token) are passed to wrk with -H.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  method = args[1] or "GET"
  paths = {}
  for i = 2, #args do paths[#paths + 1] = args[i] end
  if #paths == 0 then paths[1] = "/" end
  body = os.getenv("SOAK_BODY")
  ctype = os.getenv("SOAK_CTYPE")
  headers = {}
  for k, v in pairs(wrk.headers) do headers[k] = v end
  if body and body ~= "" then
    headers["Content-Type"] = ctype or "application/x-www-form-urlencoded"
  else
    body = nil
  end
  n = 0
  statuses = {}
end

function request()
  n = n + 1
  local p = paths[(n % #paths) + 1]
  return wrk.format(method, p, headers, body)
end

function response(status, hdrs, b)
  local k = tostring(status)
  statuses[k] = (statuses[k] or 0) + 1
end

function done(summary, latency, requests)
  local agg = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then
      for k, v in pairs(s) do agg[k] = (agg[k] or 0) + v end
    end
  end
  local keys = {}
  for k in pairs(agg) do keys[#keys + 1] = k end
  table.sort(keys)
  local st = {}
  for _, k in ipairs(keys) do st[#st + 1] = k .. ":" .. agg[k] end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f connect=%d read=%d write=%d timeout=%d non2xx3xx=%d statuses=%s\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.timeout, e.status,
    (#st > 0) and table.concat(st, ",") or "-"))
end
