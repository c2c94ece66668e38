// Things to undo if the run is interrupted (Ctrl-C): bench databases, temp directories.
const pending = new Set<() => Promise<void>>();

export function onCleanup(fn: () => Promise<void>): () => void {
  pending.add(fn);
  return () => pending.delete(fn);
}

export async function cleanupAll(): Promise<void> {
  const fns = [...pending];
  pending.clear();
  const outcomes = await Promise.allSettled(fns.map((fn) => fn()));
  for (const o of outcomes) {
    if (o.status === 'rejected') process.stderr.write(`bench cleanup failed: ${o.reason instanceof Error ? o.reason.message : String(o.reason)}\n`);
  }
}
