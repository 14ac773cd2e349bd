-- Plain GETs as fast as the connections allow (small JSON, 1 MiB download, 404 and 503 scenarios).
dofile((os.getenv("BENCH_LUA_DIR") or ".") .. "/report.lua")
