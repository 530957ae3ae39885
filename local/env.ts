import { AsyncLocalStorage } from 'node:async_hooks';

type Env = Record<string, string | undefined>;

const overlay = new AsyncLocalStorage<Env>();
let installed: { original: NodeJS.ProcessEnv; users: number } | undefined;

/**
 * Every function runs in this one process, yet each must see only its own environment variables
 * (as in Lambda: a function not granted TABLE_NAME must not find one). process.env becomes a view
 * that consults the environment of the invocation currently running (AsyncLocalStorage follows it
 * through awaits, timers and module initialisation) before the real environment. Reads outside
 * any invocation see the real environment unchanged.
 */
export function installEnvOverlay(): () => void {
  if (!installed) {
    const original = process.env;
    const own = (key: string | symbol): Env | undefined => {
      const env = overlay.getStore();
      return typeof key === 'string' && env && Object.hasOwn(env, key) ? env : undefined;
    };
    process.env = new Proxy(original, {
      get: (target, key) => {
        const env = own(key);
        return env && typeof key === 'string' ? env[key] : Reflect.get(target, key);
      },
      has: (target, key) => {
        const env = own(key);
        return env && typeof key === 'string' ? env[key] !== undefined : Reflect.has(target, key);
      },
      set: (target, key, value) => {
        const env = own(key);
        if (env && typeof key === 'string') {
          env[key] = String(value);
          return true;
        }
        return Reflect.set(target, key, value);
      },
      deleteProperty: (target, key) => {
        const env = own(key);
        if (env && typeof key === 'string') {
          env[key] = undefined;
          return true;
        }
        return Reflect.deleteProperty(target, key);
      },
      ownKeys: (target) => {
        const env = overlay.getStore();
        const keys = new Set(Reflect.ownKeys(target));
        for (const [key, value] of Object.entries(env ?? {})) {
          if (value === undefined) keys.delete(key);
          else keys.add(key);
        }
        return [...keys];
      },
      getOwnPropertyDescriptor: (target, key) => {
        const env = own(key);
        if (env && typeof key === 'string') {
          const value = env[key];
          return value === undefined
            ? undefined
            : { value, writable: true, enumerable: true, configurable: true };
        }
        return Reflect.getOwnPropertyDescriptor(target, key);
      },
    });
    installed = { original, users: 0 };
  }
  installed.users += 1;
  let released = false;
  return () => {
    if (released || !installed) return;
    released = true;
    installed.users -= 1;
    if (installed.users === 0) {
      process.env = installed.original;
      installed = undefined;
    }
  };
}

/** Runs `fn` (and everything it awaits or schedules) with `env` layered over the real environment. */
export function withEnv<T>(env: Env, fn: () => T): T {
  return overlay.run({ ...env }, fn);
}

/**
 * Sets real environment variables for the runtime's lifetime and returns a function that puts the
 * previous values back (tests start and stop runtimes inside one process).
 */
export function setProcessEnv(values: Env): () => void {
  const target = installed?.original ?? process.env;
  const previous: Env = {};
  for (const [key, value] of Object.entries(values)) {
    previous[key] = target[key];
    if (value === undefined) delete target[key];
    else target[key] = value;
  }
  return () => {
    const now = installed?.original ?? process.env;
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete now[key];
      else now[key] = value;
    }
  };
}
