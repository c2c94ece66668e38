// graphql-js executes a subscription's selection once per event per subscriber. The
// Event type's fields read only the event itself (never the context), so every
// subscriber with the same document and variables gets the same result: compute it
// once per event and share it across the fan-out.
import { createSourceEventStream, execute, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';

const documentKeys = new WeakMap<DocumentNode, string>();
const MAX_CACHED = 10_000;

function documentKey(doc: DocumentNode): string {
  let key = documentKeys.get(doc);
  if (key === undefined) documentKeys.set(doc, (key = print(doc)));
  return key;
}

export function createSharedSubscribe() {
  const results = new Map<string, Promise<ExecutionResult> | ExecutionResult>();

  const resultFor = (args: ExecutionArgs, event: { id?: unknown }) => {
    const cacheable = typeof event?.id === 'string';
    const key = cacheable ? `${event.id}\n${args.operationName ?? ''}\n${JSON.stringify(args.variableValues ?? {})}\n${documentKey(args.document)}` : '';
    const hit = cacheable ? results.get(key) : undefined;
    if (hit) return hit;
    const result = execute({ ...args, rootValue: event });
    if (cacheable) {
      if (results.size >= MAX_CACHED) results.clear();
      results.set(key, result);
    }
    return result;
  };

  return async function subscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const source = await createSourceEventStream(args);
    if (!(Symbol.asyncIterator in source)) return source as ExecutionResult; // errors before any event
    const iterator = (source as AsyncIterable<{ id?: unknown }>)[Symbol.asyncIterator]();
    return (async function* mapped() {
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done) return;
          yield await resultFor(args, next.value);
        }
      } finally {
        await iterator.return?.();
      }
    })();
  };
}
