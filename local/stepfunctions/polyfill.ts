// aws-local-stepfunctions calls Promise.withResolvers, which Node 20 lacks (Node 22 has it).
interface Resolvers<T> {
  promise: Promise<T>;
  resolve: (value: T | PromiseLike<T>) => void;
  reject: (reason?: unknown) => void;
}

const promise = Promise as unknown as { withResolvers?: <T>() => Resolvers<T> };
promise.withResolvers ??= <T>(): Resolvers<T> => {
  let resolve: Resolvers<T>['resolve'] = () => {};
  let reject: Resolvers<T>['reject'] = () => {};
  const p = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise: p, resolve, reject };
};

export {};
