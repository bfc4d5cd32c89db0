-- Shared by the wrk scripts of serve-load.sh: numbers each thread, counts answers
-- by status in every thread, and prints one RESULT line the shell script parses.
-- wrk runs each thread in a Lua state of its own; setup() runs in the main state,
-- so the main state keeps the thread objects to read their counters in done().

local threads = {}

function setup(thread)
   table.insert(threads, thread)
   -- One digit: the scripts build unique ids from it (serve-load.sh uses <= 9 threads).
   thread:set("tid", #threads)
end

statuses = {}
non2xx = 0

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   end
end

function done(summary, latency, requests)
   local counted, bad = {}, 0
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("non2xx")
      for status, n in pairs(thread:get("statuses")) do
         counted[status] = (counted[status] or 0) + n
      end
   end
   local parts = {}
   for status, n in pairs(counted) do
      table.insert(parts, status .. ":" .. n)
   end
   table.sort(parts)
   local e = summary.errors
   local socket = e.connect + e.read + e.write + e.timeout
   local seconds = summary.duration / 1e6
   io.write(string.format(
      "RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket=%d" ..
      " connect=%d read=%d write=%d timeout=%d statuses=%s\n",
      summary.requests, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
      bad, socket, e.connect, e.read, e.write, e.timeout,
      #parts > 0 and table.concat(parts, ",") or "-"))
end
