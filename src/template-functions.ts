/**
 * Every module-level template function a chart may call, by name: a chart model written at synth time
 * (models/) refers to them by name, and the renderer finds them here without loading any construct.
 * A function missing here fails `npm run synth` with its name (helpers built per chart, such as the
 * fullname and labels helpers, are rebuilt from data instead).
 */
import { NODE_LABELS_ARG } from './constructs/core/node-labels';
import { TemplateFunction } from './expr/functions';
import { ARGS_LIST, CIDRS_OVERLAP, MERGE_DEFAULTS } from './expr/stdlib';
import { KUBERNETES_SUPPORT } from './support-matrix';

export const TEMPLATE_FUNCTIONS: readonly TemplateFunction[] = [MERGE_DEFAULTS, CIDRS_OVERLAP, ARGS_LIST, KUBERNETES_SUPPORT, NODE_LABELS_ARG];
