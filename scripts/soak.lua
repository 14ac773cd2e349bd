-- Mixed ITCare traffic for scripts/soak.sh: list pages, single instances (known ids from SOAK_IDS, unknown ones
-- for 404), PostgreSQL reads of unknown ids (404), load balancers, actions, dry-run creations (POST, never retried)
-- and a refused dot-segment target. Counts answers by status and error envelopes by errorCode, printed at the end as
-- "STATUS <code> <n>" and "ERRORCODE <code> <n>" lines.
local ids = {}
for id in string.gmatch(os.getenv("SOAK_IDS") or "", "%d+") do
   table.insert(ids, id)
end

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   statuses = {}
   codes = {}
   math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

local function get(path)
   return wrk.format("GET", path)
end

function request()
   local r = math.random(100)
   if r <= 30 then
      return get("/compute/instances?page=" .. math.random(0, 5) .. "&size=10")
   elseif r <= 45 and #ids > 0 then
      return get("/compute/instances/" .. ids[math.random(#ids)])
   elseif r <= 50 then
      return get("/compute/instances/99" .. math.random(1000000, 9999999))
   elseif r <= 62 then
      return get("/databases/postgresql/" .. math.random(1, 99))
   elseif r <= 74 then
      return get("/networking/loadbalancers?page=0&size=5")
   elseif r <= 86 then
      return get("/actions?page=" .. math.random(0, 3))
   elseif r <= 98 then
      return wrk.format("POST", "/compute/instances",
         { ["Content-Type"] = "application/json", ["ITCare-DryRun"] = "true" },
         '{"name":"tsoakvm01","serviceId":300118,"environment":"DEVELOPMENT"}')
   else
      return get("/compute/%2e%2e/instances")
   end
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if status >= 400 and body then
      local code = string.match(body, '"errorCode"%s*:%s*"([^"]*)"') or "NO_ENVELOPE"
      codes[code] = (codes[code] or 0) + 1
   end
end

function done(summary, latency, requests)
   local total, byCode = {}, {}
   for _, thread in ipairs(threads) do
      for k, n in pairs(thread:get("statuses") or {}) do
         total[k] = (total[k] or 0) + n
      end
      for k, n in pairs(thread:get("codes") or {}) do
         byCode[k] = (byCode[k] or 0) + n
      end
   end
   for k, n in pairs(total) do
      io.write(string.format("STATUS %s %d\n", k, n))
   end
   for k, n in pairs(byCode) do
      io.write(string.format("ERRORCODE %s %d\n", k, n))
   end
   io.write(string.format("REQUESTS %d\n", summary.requests))
   io.write(string.format("SOCKET_ERRORS connect=%d read=%d write=%d timeout=%d status=%d\n",
      summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
      summary.errors.status))
   io.write(string.format("LATENCY_MS p50=%.1f p99=%.1f max=%.1f\n", latency:percentile(50) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000))
end
