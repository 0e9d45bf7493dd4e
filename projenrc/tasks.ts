import { typescript } from 'projen';

/**
 * The generator's own tasks: chart synthesis, CRD imports, Helm binaries for the tests and the benchmarks.
 */
export function addGeneratorTasks(project: typescript.TypeScriptProject): void {
  // `npm ci` must bring real Helm 3 and Helm 4 binaries for the test harness.
  project.package.setScript('postinstall', 'node projenrc/setup-helm.js');

  project.addTask('synth', {
    description: 'Generate charts/, values-schemas/ and dist/ from the construct model',
    exec: 'ts-node --transpile-only src/synth.ts',
  });

  project.addTask('render', {
    description: 'Render a tenant cluster with the evaluation backend (same objects as helm template)',
    exec: 'ts-node --transpile-only src/cli.ts render',
    receiveArgs: true,
  });

  project.addTask('bench', {
    description: 'Benchmarks: helm template vs. the process floor, in-process renders per second, synth time',
    exec: 'ts-node --transpile-only bench/run.ts',
  });

  project.addTask('import', {
    description: 'Regenerate src/imports from the vendored CRDs (schemas/crds)',
    exec: 'node projenrc/import-crds.js',
  });
}
