import { App, Chart } from 'cdk8s';
import { ChartDefinition } from '../charts/chart-definition';
import { chartTemplates, ChartTemplates, TemplateFunction } from '../expr';

/** The conventional `<chart>.fullname` helper: `fullnameOverride`, else the release name. Never truncated: checked instead. */
export function fullnameHelper(chartName: string): TemplateFunction {
  return new TemplateFunction({
    name: `${chartName}.fullname`,
    params: [],
    result: 'string',
    takesRoot: true,
    variable: 'fullname',
    goBody: '{{- default .Release.Name .Values.fullnameOverride -}}',
    evaluate: (env) => {
      const e = env as { values: { fullnameOverride?: string }; release: { name: string } };
      return e.values.fullnameOverride || e.release.name;
    },
  });
}

const cache = new Map<string, ChartTemplates>();

/** The chart's templates in their intermediate form (built once per process: cdk8s runs only here). */
export function chartModel(def: ChartDefinition): ChartTemplates {
  let templates = cache.get(def.name);
  if (!templates) {
    const app = new App();
    const chart = new Chart(app, def.name, { disableResourceNameHashes: true });
    def.compose(chart, fullnameHelper(def.name));
    templates = chartTemplates(chart);
    cache.set(def.name, templates);
  }
  return templates;
}
