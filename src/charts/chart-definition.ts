import { Chart } from 'cdk8s';
import { TemplateFunction } from '../expr';

/** The API target a chart version line renders (see DESIGN.md §6). */
export type ApiTarget = 'v1beta1' | 'v1beta2';

/** Everything the generator needs to write one chart. */
export interface ChartDefinition {
  /** Chart name (directory name, `Chart.yaml` name). */
  readonly name: string;
  /** Chart version (SemVer); the major version is the API target's line (`1.x` for `v1beta1`). */
  readonly version: string;
  /** One-line description for `Chart.yaml`. */
  readonly description: string;
  /** The Cluster API line the chart renders; none for charts that render no Cluster API kinds (tenant-side charts). */
  readonly apiTarget?: ApiTarget;
  /**
   * `Chart.yaml` keywords.
   * @default ['kubernetes', 'cluster-api', 'kamaji', 'kubevirt']
   */
  readonly keywords?: readonly string[];
  /** The TypeScript source of the values contract, relative to the repository root, and its type name. */
  readonly valuesType: { readonly file: string; readonly name: string };
  /** The chart's `values.yaml`. */
  readonly defaults: object;
  /** Markdown for the chart README above the values table. */
  readonly readme: string;
  /** Adds the chart's constructs; `fullname` is the chart's `<name>.fullname` helper. */
  compose(chart: Chart, fullname: TemplateFunction): void;
}
