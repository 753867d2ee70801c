-- wrk script for bench/ats: POSTs pre-signed Greenhouse deliveries (bench/gen_webhooks.py) to
-- HW_PATH, each of HW_THREADS threads taking every n-th line of lines [HW_SKIP, HW_SKIP + HW_COUNT)
-- of HW_FILE (HW_COUNT 0: to the end; after the last line it starts over: duplicates), and prints
-- the 2xx answers so the run can check that every acknowledged delivery is in the inbox.
local nthreads = 0

function setup(thread)
  thread:set("index", nthreads)
  nthreads = nthreads + 1
end

function init(args)
  lines = {}
  local i = 0
  local stride = tonumber(os.getenv("HW_THREADS") or "2")
  local skip = tonumber(os.getenv("HW_SKIP") or "0")
  local count = tonumber(os.getenv("HW_COUNT") or "0")
  for line in io.lines(os.getenv("HW_FILE")) do
    if count > 0 and i >= skip + count then break end
    if i >= skip and (i - skip) % stride == index then
      local id, sig, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      table.insert(lines, wrk.format("POST", os.getenv("HW_PATH"), {
        ["Content-Type"] = "application/json",
        ["Signature"] = sig,
        ["Greenhouse-Event-ID"] = id,
      }, body))
    end
    i = i + 1
  end
  pos = 0
end

function request()
  pos = pos + 1
  if pos > #lines then pos = 1 end
  return lines[pos]
end

-- No response() hook: with one, wrk parses every answer into Lua values, which costs this shared
-- 2-core machine ~15 us per request. The run counts 2xx answers from the summary instead and takes the
-- duplicate count from the server (every delivery of a round is distinct, so it is 0 unless a
-- round runs out of lines).
function done(summary, latency, requests)
  local e = summary.errors
  local other = e.status + e.connect + e.read + e.write + e.timeout
  io.write(string.format("webhook_answers ok=%d other=%d\n", summary.requests - e.status, other))
  io.write(string.format("webhook_errors status=%d connect=%d read=%d write=%d timeout=%d\n", e.status, e.connect,
                         e.read, e.write, e.timeout))
end
