/**
 * Durations and their seconds as Cluster API's `ConvertToSeconds` computes them, from Go itself
 * (test/data/duration-seconds/generate.go, our program; fixtures.json is its output): the conversion oracle of the
 * tests never runs our code.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface DurationFixture { readonly duration: string; readonly seconds: number | null }

/** Every fixture; `seconds: null` where Go's `time.ParseDuration` fails. */
export const DURATION_FIXTURES: readonly DurationFixture[] = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'data', 'duration-seconds', 'fixtures.json'), 'utf8')).fixtures;

/** The fixtures Go parses. */
export const PARSED_DURATION_FIXTURES = DURATION_FIXTURES.filter((f): f is { duration: string; seconds: number } => f.seconds !== null);

const SECONDS = new Map(PARSED_DURATION_FIXTURES.map((f) => [f.duration, f.seconds]));

/** Cluster API's `ConvertToSeconds` of a duration string, from the Go-computed fixtures; throws for a duration without one. */
export function convertToSeconds(d: string): number {
  const s = SECONDS.get(d);
  if (s === undefined) throw new Error(`no Go fixture for duration ${JSON.stringify(d)}: add it to test/data/duration-seconds/generate.go`);
  return s;
}
