// llama-server.mjs - a minimal OpenAI-compatible chat-completions server
// over node-llama-cpp 3.21.1, for integration tests against real inference
// (real tokenizer, grammar-constrained JSON, finish_reason and usage).
//
// Usage: node llama-server.mjs [--host ADDR] [--port N] [--port-file FILE]
// The model comes from $LLAMA_MODEL. Port 0 (the default) picks a free port;
// with --port-file the port is written there (via rename) once listening.
// Requests are served one at a time, in arrival order. Endpoints:
// POST /v1/chat/completions, GET /v1/models, GET /health.
// start-llama.sh installs the dependencies and runs this from its cache dir;
// see tests/server/README.md.
import http from "node:http";
import fs from "node:fs";
import { getLlama, LlamaChatSession } from "node-llama-cpp";

const MAX_BODY = 4 << 20;
const DEFAULT_MAX_TOKENS = 256;

function parseArgs(argv) {
	const o = { host: "127.0.0.1", port: Number(process.env.PORT ?? 0),
		portFile: null };
	for (let i = 2; i < argv.length; i++) {
		const a = argv[i], v = argv[i + 1];
		if (a === "--port") { o.port = Number(v); i++; }
		else if (a === "--port-file") { o.portFile = v; i++; }
		else if (a === "--host") { o.host = v; i++; }
		else { console.error(`llama-server: unknown argument ${a}`); process.exit(2); }
	}
	if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) {
		console.error("llama-server: bad port");
		process.exit(2);
	}
	return o;
}

function errorBody(message, type, code = null) {
	return { error: { message, type, param: null, code } };
}

function send(res, status, obj) {
	const body = JSON.stringify(obj);
	res.writeHead(status, { "Content-Type": "application/json",
		"Content-Length": Buffer.byteLength(body) });
	res.end(body);
}

// Message content may be a string or an array of {type:"text",text} parts.
function text(content) {
	if (typeof content === "string") return content;
	if (Array.isArray(content))
		return content.map((p) => (p && typeof p.text === "string" ? p.text : "")).join("");
	return "";
}

// OpenAI messages -> node-llama-cpp chat history plus the final user prompt.
function toHistory(messages) {
	const history = [];
	for (const m of messages) {
		const t = text(m.content);
		if (m.role === "system" || m.role === "developer") history.push({ type: "system", text: t });
		else if (m.role === "assistant") history.push({ type: "model", response: [t] });
		else history.push({ type: "user", text: t });
	}
	let prompt = "";
	if (history.length > 0 && history[history.length - 1].type === "user")
		prompt = history.pop().text;
	return { history, prompt };
}

async function grammarFor(llama, rf) {
	if (!rf || rf.type === "text") return undefined;
	if (rf.type === "json_object") return llama.getGrammarFor("json");
	if (rf.type === "json_schema") {
		const schema = rf.json_schema && rf.json_schema.schema;
		if (!schema || typeof schema !== "object") throw Object.assign(
			new Error("response_format.json_schema.schema is required"), { status: 400 });
		return llama.createGrammarForJsonSchema(schema);
	}
	throw Object.assign(new Error(`unsupported response_format.type ${rf.type}`), { status: 400 });
}

async function complete(state, req) {
	const { llama, session, sequence } = state;
	if (typeof req.model !== "string")
		throw Object.assign(new Error("you must provide a model parameter"), { status: 400 });
	if (!Array.isArray(req.messages))
		throw Object.assign(new Error("'messages' is a required property"), { status: 400 });
	if (req.stream === true)
		throw Object.assign(new Error("stream=true is not supported"), { status: 400 });
	const grammar = await grammarFor(llama, req.response_format);
	const { history, prompt } = toHistory(req.messages);
	const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? DEFAULT_MAX_TOKENS;
	const before = sequence.tokenMeter.getState();
	session.setChatHistory(history);
	const opts = { maxTokens, grammar,
		temperature: req.temperature ?? 0,
		seed: req.seed ?? 0 };
	if (typeof req.top_p === "number") opts.topP = req.top_p;
	const r = await session.promptWithMeta(prompt, opts);
	const used = sequence.tokenMeter.diff(before);
	return {
		id: `chatcmpl-llama${(++state.seq).toString(16).padStart(8, "0")}`,
		object: "chat.completion",
		created: Math.floor(Date.now() / 1000),
		model: req.model,
		choices: [{ index: 0,
			message: { role: "assistant", content: r.responseText, refusal: null },
			logprobs: null,
			finish_reason: r.stopReason === "maxTokens" ? "length" : "stop" }],
		usage: { prompt_tokens: used.usedInputTokens,
			completion_tokens: used.usedOutputTokens,
			total_tokens: used.usedInputTokens + used.usedOutputTokens },
		system_fingerprint: "fp_node_llama_cpp_3.21.1",
	};
}

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let n = 0;
		req.on("data", (c) => {
			n += c.length;
			if (n > MAX_BODY) { reject(Object.assign(new Error("body too large"), { status: 413 })); req.destroy(); return; }
			chunks.push(c);
		});
		req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
		req.on("error", reject);
	});
}

function writePortFile(path, port) {
	const tmp = `${path}.tmp.${process.pid}`;
	fs.writeFileSync(tmp, `${port}\n`);
	fs.renameSync(tmp, path);
}

async function main() {
	const o = parseArgs(process.argv);
	const modelPath = process.env.LLAMA_MODEL;
	if (!modelPath) { console.error("llama-server: set LLAMA_MODEL"); process.exit(2); }
	const t0 = Date.now();
	const llama = await getLlama({ gpu: false, build: "never", maxThreads: 1 });
	const model = await llama.loadModel({ modelPath });
	const context = await model.createContext({ contextSize: Math.min(model.trainContextSize || 2048, 2048) });
	const sequence = context.getSequence();
	const session = new LlamaChatSession({ contextSequence: sequence });
	const state = { llama, session, sequence, seq: 0 };
	console.error(`llama-server: model loaded in ${Date.now() - t0} ms (context ${context.contextSize})`);

	let queue = Promise.resolve();
	const serial = (fn) => { const p = queue.then(fn); queue = p.catch(() => {}); return p; };

	const server = http.createServer(async (req, res) => {
		const path = (req.url || "").split("?")[0];
		try {
			if (req.method === "GET" && path === "/health") return send(res, 200, { status: "ok" });
			if (req.method === "GET" && path === "/v1/models")
				return send(res, 200, { object: "list", data: [{ id: "stories260K", object: "model", created: 0, owned_by: "node-llama-cpp" }] });
			if (path !== "/v1/chat/completions")
				return send(res, 404, errorBody("Unknown request URL", "invalid_request_error", "unknown_url"));
			if (req.method !== "POST")
				return send(res, 405, errorBody("Method not allowed", "invalid_request_error"));
			const raw = await readBody(req);
			let body;
			try { body = JSON.parse(raw); } catch {
				return send(res, 400, errorBody("We could not parse the JSON body of your request.", "invalid_request_error"));
			}
			if (!body || typeof body !== "object" || Array.isArray(body))
				return send(res, 400, errorBody("The body must be a JSON object.", "invalid_request_error"));
			const out = await serial(() => complete(state, body));
			send(res, 200, out);
		} catch (e) {
			const status = e.status || 500;
			if (!res.headersSent)
				send(res, status, errorBody(String(e.message || e), status === 500 ? "server_error" : "invalid_request_error"));
		}
	});
	server.keepAliveTimeout = 30000;
	server.listen(o.port, o.host, () => {
		const port = server.address().port;
		if (o.portFile) writePortFile(o.portFile, port);
		console.error(`llama-server: listening on http://${o.host}:${port}`);
	});
	const stop = () => {
		server.close();
		server.closeAllConnections?.();
		queue.finally(() => process.exit(0));
	};
	process.on("SIGTERM", stop);
	process.on("SIGINT", stop);
}

main().catch((e) => { console.error(`llama-server: ${e.stack || e}`); process.exit(1); });
