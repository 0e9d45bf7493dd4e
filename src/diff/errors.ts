/**
 * The error `diff` maps to exit code 3, in a module of its own: the CLI registers `diff` at start-up with this
 * and nothing more of src/diff/ (rendering, the YAML parser), which it loads only when `diff` runs.
 */

/** A failure to render a side (missing archive or helm, values refused): exit code 3, never a stack trace. */
export class SideRenderError extends Error {}
