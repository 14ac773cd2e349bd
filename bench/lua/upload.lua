-- 1 MiB PUTs (a retryable method, so itcare-proxy keeps each body in its replay buffer: the worst case for memory).
dofile((os.getenv("BENCH_LUA_DIR") or ".") .. "/report.lua")

wrk.method = "PUT"
wrk.body = string.rep("x", tonumber(os.getenv("BENCH_UPLOAD_BYTES") or "1048576"))
wrk.headers["Content-Type"] = "application/octet-stream"
