import { Construct } from 'constructs';
import { concat, matches, RenderCheck, Values } from '../../expr';
import { pinnedImage } from '../../pins';

/**
 * A `kubectl` image with a shell, for the chart's hooks, pinned by digest: the one Cozystack pins (and keeps current
 * with a Renovate rule) for its cleanup hooks, which run it as a non-root user with a read-only root filesystem
 * (the source is recorded in src/pins.ts). Built by Clastix, the makers of Kamaji.
 */
export const KUBECTL_IMAGE = pinnedImage('kubectl');

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
