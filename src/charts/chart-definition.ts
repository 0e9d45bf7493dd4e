import { Chart } from 'cdk8s';
import type { ApiTarget } from '../constructs/core/api-shapes';
import { TemplateFunction } from '../expr';

/** The API target a chart version line renders (see DESIGN.md §6 and src/constructs/core/api-shapes.ts). */
export type { ApiTarget };

/**
 * Another version line of a chart, generated from the same definition (the same constructs and values contract)
 * for another API target: `tenant-cluster` 1.x renders Cluster API v1beta1, 2.x v1beta2 (DESIGN.md §6).
 */
export interface ChartLine {
  /** Chart version of the line (SemVer; its major version is the line). */
  readonly version: string;
  /** The API target the line renders. */
  readonly apiTarget: ApiTarget;
  /**
   * Directory of the line under `charts/`, and the name the CLI (`--chart`), `renderChart` and the precompiled
   * model (`models/<directory>.json`) know it by. `Chart.yaml` keeps the chart's name.
   */
  readonly directory: string;
  /**
   * Markdown put before the chart's README text for this line (its requirements).
   * @default - none
   */
  readonly readmePreface?: string;
  /** See {@link ChartDefinition.preview}. @default - the line is served */
  readonly preview?: string;
}

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
  /**
   * Adds the chart's constructs; `fullname` is the chart's `<name>.fullname` helper. The chart's construct tree
   * holds `apiTarget` (`apiTargetOf(scope)` in src/constructs/core/api-shapes.ts).
   */
  compose(chart: Chart, fullname: TemplateFunction): void;
  /**
   * Directory of the chart under `charts/`, and the name the CLI, `renderChart` and `models/` know it by.
   * @default - the chart name
   */
  readonly directory?: string;
  /**
   * Markdown put before `readme` in the chart README.
   * @default - none
   */
  readonly readmePreface?: string;
  /**
   * Set while a version line is unfinished, to say why. A preview is generated (charts/, models/,
   * values-schemas/) and tested like any chart, but not served: not packaged into dist/ (so the Helm repository
   * never offers it) and not offered by the CLI; its README says so.
   * @default - the chart is served
   */
  readonly preview?: string;
  /** Further version lines of the chart, for other API targets. @default - none */
  readonly lines?: readonly ChartLine[];
  /**
   * Every key below `nodeGroupDefaults` is required in the values schema (a user's `null` there fails as a missing
   * key instead of leaving a hole: see `requireEveryDefault` in src/generator/values-schema.ts). For contracts whose
   * `nodeGroupDefaults` is what a program sends rather than chart defaults (the Magnum driver sends some of its keys
   * only when a label is set), turn it off.
   * @default true
   */
  readonly requireEveryNodeGroupDefault?: boolean;
}

/** Every version line of a definition, each as a definition of its own (the definition itself first). */
export function chartLines(def: ChartDefinition): ChartDefinition[] {
  const { lines, ...base } = def;
  return [base, ...(lines ?? []).map((line): ChartDefinition => ({ ...base, readmePreface: undefined, preview: undefined, ...line }))];
}

/** The directory of a chart line under `charts/` (and its name for the CLI and `renderChart`). */
export function chartDirectory(def: ChartDefinition): string {
  return def.directory ?? def.name;
}

/** Whether a chart line is served (packaged into the Helm repository, offered by the CLI). */
export function isServed(def: ChartDefinition): boolean {
  return def.preview === undefined;
}
