import { typescript } from 'projen';

/**
 * The generator's own tasks: chart synthesis, CRD imports, Helm binaries for the tests and the benchmarks.
 */
export function addGeneratorTasks(project: typescript.TypeScriptProject): void {
  // `npm ci` must bring real Helm 3 and Helm 4 binaries for the test harness.
  project.package.setScript('postinstall', 'node projenrc/setup-helm.js');

  // The CLI as one bundled file with a V8 code cache (lib/cli.js loads it): see projenrc/bundle-cli.js.
  project.postCompileTask.exec('node projenrc/bundle-cli.js');

  project.addTask('synth', {
    description: 'Generate charts/, values-schemas/ and dist/ from the construct model',
    exec: 'ts-node --transpile-only src/synth.ts',
  });

  project.addTask('render', {
    description: 'Render a tenant cluster with the evaluation backend (same objects as helm template of charts/)',
    // The committed charts' model (models/), as the compiled CLI uses: no construct tree built per run.
    env: { TENANT_CLUSTER_MODEL: 'precompiled' },
    exec: 'ts-node --transpile-only src/cli.ts render',
    receiveArgs: true,
  });

  project.addTask('bench', {
    description: 'Benchmarks: helm template vs. the process floor, the CLI, renders per second, scaling, synth, cost per tenant and per 1,000 tenants',
    exec: 'ts-node --transpile-only bench/run.ts',
    // `npm run bench -- --profile-helm`: bench/profile-helm.ts, where helm template of the chart spends its CPU.
    receiveArgs: true,
  });

  project.addTask('import', {
    description: 'Regenerate src/imports from the vendored CRDs (schemas/crds)',
    exec: 'node projenrc/import-crds.js',
  });
}
