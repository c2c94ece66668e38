// A push-to-pull bridge: the hub pushes, graphql-ws pulls with for-await.
export interface AsyncQueue<T> extends AsyncIterableIterator<T> {
  push(value: T): void;
  fail(err: Error): void;
  readonly size: number;
}

export function createAsyncQueue<T>(onClose: () => void): AsyncQueue<T> {
  const values: T[] = [];
  const waiting: ((r: IteratorResult<T>) => void)[] = [];
  const rejecting: ((e: Error) => void)[] = [];
  let done = false;
  let error: Error | null = null;

  const finish = () => {
    if (done) return;
    done = true;
    onClose();
    for (const w of waiting.splice(0)) w({ value: undefined, done: true });
    rejecting.length = 0;
  };

  const queue: AsyncQueue<T> = {
    get size() {
      return values.length;
    },
    push(value) {
      if (done) return;
      const w = waiting.shift();
      if (w) {
        rejecting.shift();
        w({ value, done: false });
      } else values.push(value);
    },
    fail(err) {
      if (done) return;
      error = err;
      const r = rejecting.shift();
      if (r) {
        waiting.shift();
        r(err);
        finish();
      }
    },
    next() {
      if (values.length) return Promise.resolve({ value: values.shift()!, done: false });
      if (error) {
        const e = error;
        finish();
        return Promise.reject(e);
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise<IteratorResult<T>>((resolve, reject) => {
        waiting.push(resolve);
        rejecting.push(reject);
      });
    },
    return() {
      values.length = 0;
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(err?: unknown) {
      finish();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return queue;
    },
  };
  return queue;
}
