// Writes the licences of every package the editor bundle contains, read
// from esbuild's metafile, next to the bundle.
import { readFileSync, writeFileSync, readdirSync, unlinkSync } from "node:fs";
import { join } from "node:path";

const [meta, out] = process.argv.slice(2);
const inputs = Object.keys(JSON.parse(readFileSync(meta, "utf8")).inputs);
const pkgs = new Set();
for (const f of inputs) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f);
  if (m) pkgs.add(m[1]);
}
let text = "The editor bundle contains these packages, under these licences.\n";
for (const p of [...pkgs].sort()) {
  const dir = join("node_modules", p);
  const { version, license } = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  text += `\n== ${p} ${version} (${license}) ==\n` + (file ? readFileSync(join(dir, file), "utf8") : "(no licence file in the package)\n");
}
writeFileSync(out, text);
unlinkSync(meta);
