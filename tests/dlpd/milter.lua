-- milter.lua: protocol-level cases for dlpd's milter, run by miltertest.
-- Globals from the command line: port (dlpd listens on inet:PORT@127.0.0.1),
-- dir (this directory, for the message fixtures), from and rcpt (the
-- envelope); only=1 runs the first case alone; expect_tempfail=1 runs one
-- case expecting a tempfail (the daemon is overloaded).
-- Each case runs in pcall; the script ends with "N passed, N failed" and
-- exits non-zero on any failure.

local passed, failed = 0, 0

local function read_file(name)
	local f = assert(io.open(dir .. "/" .. name, "rb"))
	local s = f:read("*a")
	f:close()
	return s
end

-- Split an RFC 5322 fixture into header (name, value) pairs and the body.
local function split(msg)
	msg = msg:gsub("\r\n", "\n")
	local head, body = msg:match("^(.-)\n\n(.*)$")
	local hdrs = {}
	for line in (head .. "\n"):gmatch("(.-)\n") do
		local n, v = line:match("^([^:]+):%s*(.*)$")
		if n then hdrs[#hdrs + 1] = {n, v} end
	end
	return hdrs, body:gsub("\n", "\r\n")
end

local function session(from, rcpts)
	local c = mt.connect("inet:" .. port .. "@127.0.0.1", 40, 0.25)
	assert(c, "cannot connect to the milter")
	assert(mt.conninfo(c, "client.example", "192.0.2.10") == nil)
	mt.macro(c, SMFIC_MAIL, "{auth_authen}", "alice")
	assert(mt.mailfrom(c, from) == nil)
	for _, r in ipairs(rcpts) do assert(mt.rcptto(c, r) == nil) end
	return c
end

local function send_message(c, file)
	local hdrs, body = split(read_file(file))
	for _, h in ipairs(hdrs) do assert(mt.header(c, h[1], h[2]) == nil) end
	assert(mt.eoh(c) == nil)
	assert(mt.bodystring(c, body) == nil)
	assert(mt.eom(c) == nil)
end

local function case(name, fn)
	local ok, err = pcall(fn)
	if ok then
		passed = passed + 1
		mt.echo("ok   " .. name)
	else
		failed = failed + 1
		mt.echo("FAIL " .. name .. ": " .. tostring(err))
	end
end

local sender = from or "<alice@corp.example>"
local partner = {rcpt or "<bob@example.org>"}

if expect_tempfail then
	case("overloaded: tempfail, never accept", function()
		local c = session(sender, partner)
		send_message(c, "allow.eml")
		local r = mt.getreply(c)
		assert(r == SMFIR_TEMPFAIL or r == SMFIR_REPLYCODE,
		    "not a tempfail: " .. tostring(r))
		mt.disconnect(c)
	end)
	mt.echo(passed .. " passed, " .. failed .. " failed")
	if failed > 0 then error("milter cases failed") end
	return
end

case("allow: accepted with X-DLP-Verdict: allow", function()
	local c = session(sender, partner)
	send_message(c, "allow.eml")
	assert(mt.getreply(c) == SMFIR_ACCEPT, "not accepted")
	assert(mt.eom_check(c, MT_HDRADD, "X-DLP-Verdict", "allow"),
	    "no X-DLP-Verdict: allow header")
	assert(not mt.eom_check(c, MT_QUARANTINE), "quarantined")
	mt.disconnect(c)
end)

if only then
	mt.echo(passed .. " passed, " .. failed .. " failed")
	if failed > 0 then error("milter cases failed") end
	return
end

case("hold: quarantined with a verdict header", function()
	local c = session(sender, partner)
	send_message(c, "hold.eml")
	assert(mt.getreply(c) == SMFIR_ACCEPT, "not accepted")
	assert(mt.eom_check(c, MT_QUARANTINE), "not quarantined")
	assert(mt.eom_check(c, MT_HDRADD, "X-DLP-Verdict", "hold"),
	    "no X-DLP-Verdict: hold header")
	assert(mt.eom_check(c, MT_HDRADD, "X-DLP-Reason"), "no reason header")
	mt.disconnect(c)
end)

case("block: rejected with a reply code", function()
	local c = session(sender, partner)
	send_message(c, "block.eml")
	local r = mt.getreply(c)
	assert(r == SMFIR_REPLYCODE or r == SMFIR_REJECT,
	    "not rejected: " .. tostring(r))
	assert(not mt.eom_check(c, MT_QUARANTINE), "quarantined")
	mt.disconnect(c)
end)

case("two messages on one connection: state is reset", function()
	local c = session(sender, partner)
	send_message(c, "block.eml")
	local r = mt.getreply(c)
	assert(r == SMFIR_REPLYCODE or r == SMFIR_REJECT, "first not rejected")
	mt.macro(c, SMFIC_MAIL, "{auth_authen}", "alice")
	assert(mt.mailfrom(c, sender) == nil)
	assert(mt.rcptto(c, partner[1]) == nil)
	send_message(c, "allow.eml")
	assert(mt.getreply(c) == SMFIR_ACCEPT, "second not accepted")
	mt.disconnect(c)
end)

case("abort then a new message", function()
	local c = session(sender, partner)
	local hdrs = split(read_file("block.eml"))
	for _, h in ipairs(hdrs) do assert(mt.header(c, h[1], h[2]) == nil) end
	assert(mt.abort(c) == nil)
	assert(mt.mailfrom(c, sender) == nil)
	assert(mt.rcptto(c, partner[1]) == nil)
	send_message(c, "allow.eml")
	assert(mt.getreply(c) == SMFIR_ACCEPT, "not accepted after abort")
	mt.disconnect(c)
end)

case("oversize body: held, never accepted unscanned", function()
	local c = session(sender, partner)
	assert(mt.header(c, "Subject", "big") == nil)
	assert(mt.eoh(c) == nil)
	-- max_message_bytes is 65536 in the test configuration
	local chunk = string.rep("x", 1000) .. "\r\n"
	for _ = 1, 80 do assert(mt.bodystring(c, chunk) == nil) end
	assert(mt.eom(c) == nil)
	assert(mt.getreply(c) == SMFIR_ACCEPT, "not accepted into hold")
	assert(mt.eom_check(c, MT_QUARANTINE), "oversize not quarantined")
	mt.disconnect(c)
end)

case("disconnect mid-body: the next session still works", function()
	local c = session(sender, partner)
	assert(mt.header(c, "Subject", "cut") == nil)
	assert(mt.eoh(c) == nil)
	assert(mt.bodystring(c, "partial body\r\n") == nil)
	mt.disconnect(c, true)
	c = session(sender, partner)
	send_message(c, "hold.eml")
	assert(mt.getreply(c) == SMFIR_ACCEPT)
	assert(mt.eom_check(c, MT_QUARANTINE), "not quarantined")
	mt.disconnect(c)
end)

mt.echo(passed .. " passed, " .. failed .. " failed")
if failed > 0 then error("milter cases failed") end
