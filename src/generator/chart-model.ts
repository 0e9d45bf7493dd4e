import { App, Chart } from 'cdk8s';
import { ChartDefinition } from '../charts/chart-definition';
import { chartTemplates, ChartTemplates, fullnameHelper } from '../expr';

export { fullnameHelper };

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
