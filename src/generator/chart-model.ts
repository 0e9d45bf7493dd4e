import { App, Chart } from 'cdk8s';
import { ChartDefinition, chartDirectory } from '../charts/chart-definition';
import { API_TARGET_CONTEXT } from '../constructs/core/api-shapes';
import { chartTemplates, ChartTemplates, fullnameHelper } from '../expr';

export { fullnameHelper };

const cache = new Map<string, ChartTemplates>();

/**
 * The chart's templates in their intermediate form (built once per process and chart line: cdk8s runs only
 * here). The chart's construct tree holds the definition's API target (context {@link API_TARGET_CONTEXT}),
 * set before any construct is added: the shape functions read it (`apiTargetOf`).
 */
export function chartModel(def: ChartDefinition): ChartTemplates {
  const key = chartDirectory(def);
  let templates = cache.get(key);
  if (!templates) {
    const app = new App();
    const chart = new Chart(app, def.name, { disableResourceNameHashes: true });
    if (def.apiTarget) chart.node.setContext(API_TARGET_CONTEXT, def.apiTarget);
    def.compose(chart, fullnameHelper(def.name));
    templates = chartTemplates(chart);
    cache.set(key, templates);
  }
  return templates;
}
