-- Counts answers by status on top of a scenario's script (BENCH_SCENARIO_SCRIPT) and keeps the start of one body per
-- error status, printed as "STATUSES 200=n 503=n" and "SAMPLE <status> <body>" lines. Used for uploads, whose rate is
-- low, and to diagnose unexpected answers: a response() callback costs wrk time at high rates.
dofile(os.getenv("BENCH_SCENARIO_SCRIPT"))

local threads = {}
local scenario_init = init
local scenario_done = done

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   statuses = {}
   samples = {}
   if scenario_init then
      scenario_init(args)
   end
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if status >= 400 and samples[status] == nil then
      samples[status] = string.sub(body or "", 1, 300)
   end
end

function done(summary, latency, requests)
   scenario_done(summary, latency, requests)
   local total, sample = {}, {}
   for _, thread in ipairs(threads) do
      for status, n in pairs(thread:get("statuses") or {}) do
         total[status] = (total[status] or 0) + n
      end
      for status, body in pairs(thread:get("samples") or {}) do
         sample[status] = sample[status] or body
      end
   end
   local keys = {}
   for status in pairs(total) do
      table.insert(keys, status)
   end
   table.sort(keys)
   local parts = {}
   for _, status in ipairs(keys) do
      table.insert(parts, status .. "=" .. total[status])
   end
   io.write("STATUSES " .. table.concat(parts, " ") .. "\n")
   for _, status in ipairs(keys) do
      if sample[status] then
         io.write("SAMPLE " .. status .. " " .. string.gsub(sample[status], "\n", " ") .. "\n")
      end
   end
end
