// grammar-check.mjs - build a node-llama-cpp grammar from each JSON schema
// file named on the command line, as the real-inference test server does
// for response_format json_schema (llama.createGrammarForJsonSchema), and
// print one line per file: "ok FILE" or "rejected FILE: REASON".
// Exit status: 0 every grammar was built, 1 one or more were rejected,
// 77 node-llama-cpp is not installed in $PERSONAFORGE_LLAMA_CACHE.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const cache = process.env.PERSONAFORGE_LLAMA_CACHE;
const entry = path.join(cache || "", "node_modules/node-llama-cpp/dist/index.js");
if (!cache || !fs.existsSync(entry)) {
	console.error(`grammar-check: node-llama-cpp not found in ${cache}`);
	process.exit(77);
}
const { getLlama } = await import(pathToFileURL(entry).href);
const llama = await getLlama({ gpu: false, build: "never", maxThreads: 1, logLevel: "error" });
let bad = 0;
for (const file of process.argv.slice(2)) {
	try {
		const schema = JSON.parse(fs.readFileSync(file, "utf8"));
		await llama.createGrammarForJsonSchema(schema);
		console.log(`ok ${file}`);
	} catch (e) {
		bad++;
		console.log(`rejected ${file}: ${String(e && e.message).split("\n")[0]}`);
	}
}
process.exit(bad ? 1 : 0);
