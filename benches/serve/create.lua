-- wrk: POST /v1/services, every request a new order (its own service id, client id
-- and Idempotency-Key), so each one makes an account on the mock.
-- Arguments (after --): TOKEN RUN SERVER PRODUCT. RUN is a digit string unique per
-- case and ledger run, so ids never repeat between cases.
package.path = os.getenv("SERVE_BENCH_LUA") .. "/?.lua;" .. package.path
require("report")

local token, run, server, product
local counter = 0

function init(args)
   token, run, server, product = args[1], args[2], args[3], args[4]
end

function request()
   counter = counter + 1
   -- Digits only: the id is the client id too, and the product's name rule puts the
   -- client id into the account name.
   local id = run .. tid .. string.format("%07d", counter)
   local body = string.format(
      '{"server":"%s","service_id":"load-%s","client_id":"%s","product":"%s"}',
      server, id, id, product)
   return wrk.format("POST", "/v1/services", {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
      ["Idempotency-Key"] = "load-" .. id,
   }, body)
end
