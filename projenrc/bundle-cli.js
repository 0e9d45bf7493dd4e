#!/usr/bin/env node
/**
 * Bundles the CLI for a fast start (run after `tsc`: the `post-compile` task, and bench/run.ts).
 *
 * `node lib/cli.js render` spends most of its time before rendering: resolving and reading ~130 modules
 * (the `yaml` package alone is 72 files) and compiling them, then running everything once, cold. Node 20
 * has no module compile cache (`module.enableCompileCache` is Node 22), so this script does what it would:
 *   1. esbuild bundles src/cli.ts and everything it imports, plus the modules a render requires lazily
 *      (the `yaml` package, the template functions, models/validators.js and the validators), into
 *      lib/cli.bundle.js. Other lazy requires (the construct tree, cdk8s, the ajv compiler: the `live`
 *      model only) stay outside and load from lib/ as before;
 *   2. it runs the bundle once on examples/platform.yaml (render and validate) and saves V8's code cache
 *      (`vm.Script#createCachedData`) with every function that run compiled: lib/cli.bundle.<hash>.cache;
 *   3. it replaces tsc's lib/cli.js by a loader that compiles the bundle with that cache. V8 checks the cache
 *      against its own version and flags (a rejected cache only costs the compile); the file name carries a
 *      hash of the bundle, because V8 itself checks only the source's length.
 * Everything written is build output (lib/ is not committed), so the cache may differ from build to build.
 */
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const LIB = path.join(ROOT, 'lib');
/**
 * Where the loader, the bundle and the cache go: lib/, or `--out <dir>` (the test bundles into a temporary one). The
 * bundle finds models/ as lib/ does (`<its folder>/../models`): a folder beside lib/.
 */
const OUT = process.argv[2] === '--out' && process.argv[3] ? path.resolve(process.argv[3]) : LIB;
const BUNDLE = path.join(OUT, 'cli.bundle.js');
/** Lazily required modules that a render needs: inside the bundle. */
const BUNDLED_LAZY = new Set(['yaml', './template-functions', '../models/validators.js']);
/** What the training run renders and validates (the bench's largest example). */
const TRAINING_VALUES = path.join(ROOT, 'examples', 'platform.yaml');

/** Lazy `require()`s of our sources stay outside the bundle (except BUNDLED_LAZY), pointing at tsc's output in lib/. */
const lazyRequiresOutside = {
  name: 'lazy-requires-outside',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'require-call' || BUNDLED_LAZY.has(args.path) || !args.importer.startsWith(SRC + path.sep)) return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      const target = path.join(LIB, path.relative(SRC, path.resolve(args.resolveDir, args.path)));
      const relative = path.relative(OUT, target).split(path.sep).join('/');
      return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
    });
  },
};

/**
 * commander requires `child_process` at load (for subcommands that are executables, which we have none of),
 * and with it `net` and more: a few milliseconds of every start. Inside the bundle it gets it on first use.
 */
const childProcessOnUse = {
  name: 'child-process-on-use',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (args) => (/[\\/]commander[\\/]/.test(args.importer)
      ? { path: 'child_process', namespace: 'on-use' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'on-use' }, () => ({
      contents: 'module.exports = new Proxy({}, { get: (_, key) => require("child_process")[key] });',
      loader: 'js',
    }));
  },
};

/**
 * The values validators of two charts are byte-identical when their schemas are (tenant-cluster and tenant-cluster-v2:
 * about 0.9 MB each, most of the bundle). esbuild keeps one module per path, so each validator is resolved to the
 * first file with the same bytes: one copy in the bundle, less for every start to read. A validator keeps no state
 * between calls beyond `validate.errors`, which each call sets before its caller reads it.
 */
const identicalValidatorsOnce = {
  name: 'identical-validators-once',
  setup(build) {
    const firstByHash = new Map();
    build.onResolve({ filter: /\.validate\.js$/ }, (args) => {
      const file = path.resolve(args.resolveDir, args.path);
      if (!fs.existsSync(file)) return undefined;
      const hash = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
      if (!firstByHash.has(hash)) firstByHash.set(hash, file);
      return { path: firstByHash.get(hash) };
    });
  },
};

function loaderText(bundleName, cacheName, length) {
  return `#!/usr/bin/env node
// Written by projenrc/bundle-cli.js (see there): runs the bundled CLI, compiled with its V8 code cache.
'use strict';
const fs = require('fs');
const Module = require('module');
const path = require('path');
const vm = require('vm');
const file = path.join(__dirname, ${JSON.stringify(bundleName)});
const source = Module.wrap(fs.readFileSync(file, 'utf8'));
let cachedData;
if (source.length === ${length}) {
  try {
    cachedData = fs.readFileSync(path.join(__dirname, ${JSON.stringify(cacheName)}));
  } catch {
    cachedData = undefined;
  }
}
const bundle = { exports: {} };
new vm.Script(source, { filename: file, cachedData }).runInThisContext()(bundle.exports, Module.createRequire(file), bundle, file, __dirname);
module.exports = bundle.exports;
if (require.main === module) {
  bundle.exports.exitQuietlyOnClosedPipe();
  process.exitCode = bundle.exports.main(process.argv.slice(2));
}
`;
}

async function main() {
  const esbuild = require('esbuild');
  await esbuild.build({
    entryPoints: [path.join(SRC, 'cli.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // The loader carries the shebang; the bundle is compiled as a function body.
    banner: { js: '// Generated by projenrc/bundle-cli.js from src/cli.ts; do not edit.' },
    external: ['cdk8s', 'cdk8s-plus-27', 'constructs'],
    plugins: [lazyRequiresOutside, identicalValidatorsOnce, childProcessOnUse],
    logLevel: 'warning',
    // Without comments and indentation the bundle is a third of the text to read at every start, and ASCII: a
    // comment's `…` made Node decode all of it as two-byte UTF-16. Names stay, and errors never print stack traces.
    minifyWhitespace: true,
  });
  const text = fs.readFileSync(BUNDLE, 'utf8').replace(/^#!.*\n/m, '');
  fs.writeFileSync(BUNDLE, text);
  const source = Module.wrap(text);
  const hash = crypto.createHash('sha256').update(source).digest('hex').slice(0, 12);
  const cacheName = `cli.bundle.${hash}.cache`;

  // The training run: what `render` and `validate` compile goes into the cache.
  const script = new vm.Script(source, { filename: BUNDLE });
  const bundle = { exports: {} };
  script.runInThisContext()(bundle.exports, Module.createRequire(BUNDLE), bundle, BUNDLE, OUT);
  for (const command of ['render', 'validate']) {
    let errors = '';
    const code = bundle.exports.main([command, '-f', TRAINING_VALUES, '--release', 'training', '--namespace', 'training'], () => {}, (s) => { errors += s; });
    if (code !== 0) throw new Error(`the training run of the bundled CLI failed: ${command} exited with ${code}: ${errors.trim()}`);
  }
  for (const f of fs.readdirSync(OUT)) if (/^cli\.bundle\.[0-9a-f]+\.cache$/.test(f)) fs.rmSync(path.join(OUT, f));
  fs.writeFileSync(path.join(OUT, cacheName), script.createCachedData());
  fs.writeFileSync(path.join(OUT, 'cli.js'), loaderText(path.basename(BUNDLE), cacheName, source.length), { mode: 0o755 });
  const out = path.relative(ROOT, OUT) || '.';
  console.log(`bundled the CLI: ${out}/cli.js (loader), ${out}/${path.basename(BUNDLE)} (${text.length} bytes), ${out}/${cacheName}`);
}

main().catch((e) => {
  console.error(e.stack ?? String(e));
  process.exit(1);
});
