-- A fixed rate below saturation. wrk has no rate option (Debian has no wrk2), so each connection waits a random
-- think time before each request: uniform in [0, 2 x mean], mean = connections / rate, which spreads the
-- connections out instead of firing them in step. wrk starts a request's clock when the request is written, after
-- the wait, so the percentiles are the response times alone. The achieved rate is measured and printed, not assumed.
dofile((os.getenv("BENCH_LUA_DIR") or ".") .. "/report.lua")

local rate = tonumber(os.getenv("BENCH_RATE") or "5000")
local connections = tonumber(os.getenv("BENCH_CONNECTIONS") or "64")
local spread = math.max(1, math.floor(2 * connections * 1000 / rate))

function init(args)
   math.randomseed(os.time())
end

function delay()
   return math.random(0, spread)
end
