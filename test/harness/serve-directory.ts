/**
 * A directory served over loopback HTTP: Helm has no file:// getter for chart repositories, so the tests that
 * `helm repo add`/`pull`/`--repo` serve dist/ (or a copy) this way.
 */
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';

export interface ServedDirectory {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The request paths received, in order. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

/** Serves the files directly in `dir` by their base name (404 for anything else) until `close()`. */
export async function serveDirectory(dir: string): Promise<ServedDirectory> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const file = path.join(dir, path.basename(decodeURIComponent((req.url ?? '').split('?')[0])));
    if (!fs.existsSync(file)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
