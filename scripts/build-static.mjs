// Copies the front-end libraries the pages use from node_modules into static/vendor/build,
// with their licences, so that they are served by the project itself (government intranets
// have no internet). Run by `make install` after `npm ci`; the output is not committed.
import { mkdirSync, readFileSync, rmSync, existsSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "vendor", "build");

// [package, file inside the package, name under static/vendor/build/<package>/]
const files = [
  ["echarts", "dist/echarts.min.js", "echarts.min.js"],
  ["echarts", "LICENSE", "LICENSE"],
  ["axe-core", "axe.min.js", "axe.min.js"],
  ["axe-core", "LICENSE", "LICENSE"],
  ["swagger-ui-dist", "swagger-ui-bundle.js", "swagger-ui-bundle.js"],
  ["swagger-ui-dist", "swagger-ui.css", "swagger-ui.css"],
  ["swagger-ui-dist", "LICENSE", "LICENSE"],
];

rmSync(out, { recursive: true, force: true });
for (const [pkg, file, name] of files) {
  const source = join(root, "node_modules", pkg, file);
  if (!existsSync(source)) {
    console.error(`missing ${source}: run npm ci first`);
    process.exit(1);
  }
  const target = join(out, pkg, name);
  mkdirSync(dirname(target), { recursive: true });
  // Source maps are not shipped: drop the comments that point to them (collectstatic's
  // manifest would otherwise look for the missing .map files).
  const text = readFileSync(source, "utf8").replace(/\/[*\/][#@] sourceMappingURL=[^\n*]*(\*\/)?/g, "");
  writeFileSync(target, text);
}
console.log(`static/vendor/build: ${files.length} files`);
