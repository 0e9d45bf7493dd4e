import { Construct } from 'constructs';
import { concat, matches, RenderCheck, Values } from '../../expr';

export { KUBECTL_IMAGE } from '../../pins';

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
