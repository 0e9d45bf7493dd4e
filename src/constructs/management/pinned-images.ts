import { Construct } from 'constructs';

/**
 * A `kubectl` image with a shell, for the chart's hooks, pinned by digest: the one Cozystack pins (and keeps current
 * with a Renovate rule) for its cleanup hooks, which run it as a non-root user with a read-only root filesystem
 * (cozystack/cozystack 3c780acd packages/apps/harbor/templates/hooks/cleanup.yaml:48, .github/renovate.json
 * "clastix/kubectl"; the same image, by tag, runs `/bin/sh -c` in v1.5.4 packages/apps/kubernetes/templates/delete.yaml).
 * Built by Clastix, the makers of Kamaji.
 */
export const KUBECTL_IMAGE = 'docker.io/clastix/kubectl:v1.32@sha256:b9ef7d8dbe65bcc81a46c09b8dc7543103055021c4f43287bf59e92a8f4fe05c';
import { concat, matches, RenderCheck, Values } from '../../expr';

/**
 * Refuses images tagged `latest` at the given values paths (the values schemas already require a tag
 * or a digest): DESIGN.md §4.6, no image that changes under a running release.
 */
export function checkImagesPinned(scope: Construct, paths: readonly string[]): void {
  for (const path of paths) {
    const image = Values.str(path);
    new RenderCheck(scope, `NotLatest-${path}`, {
      failWhen: matches(':latest$', image),
      message: concat(`${path}: "`, image, '" must name a version tag or digest other than "latest"'),
    });
  }
}
