-- wrk: GET /v1/services/{server}/{id}/usage over the services serve-load.sh created
-- beforehand, each thread cycling through the list from its own starting point.
-- Arguments (after --): TOKEN SERVER IDS_FILE (one service id a line).
package.path = os.getenv("SERVE_BENCH_LUA") .. "/?.lua;" .. package.path
require("report")

local paths, headers = {}, {}
local next_index = 1

function init(args)
   local token, server, file = args[1], args[2], args[3]
   headers["Authorization"] = "Bearer " .. token
   for id in io.lines(file) do
      if id ~= "" then
         table.insert(paths, "/v1/services/" .. server .. "/" .. id .. "/usage")
      end
   end
   assert(#paths > 0, "no service ids in " .. file)
   -- Spread the threads over the list rather than all reading the same service.
   next_index = ((tid - 1) * 37) % #paths + 1
end

function request()
   local path = paths[next_index]
   next_index = next_index % #paths + 1
   return wrk.format("GET", path, headers)
end
