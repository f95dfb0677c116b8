// Builds ui/dist, the folder the Java server serves at / (the --ui setting defaults to <repo>/ui/dist). The page is plain
// HTML/CSS/ES modules with no runtime dependencies, so "building" is a clean copy: no bundler to install or trust,
// and the shipped files are the reviewed sources byte for byte.
import { cpSync, rmSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const src = fileURLToPath(new URL("src/", import.meta.url));
const dist = fileURLToPath(new URL("dist/", import.meta.url));
rmSync(dist, { recursive: true, force: true });
cpSync(src, dist, { recursive: true });
console.log(`ui/dist: ${readdirSync(dist).sort().join(", ")}`);
