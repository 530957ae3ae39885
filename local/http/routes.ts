import type { RouteSpec } from '../template/model';

interface CompiledRoute {
  route: RouteSpec;
  method: string;
  segments: { literal?: string; param?: string; greedy?: boolean }[];
  isDefault: boolean;
}

export interface RouteMatch {
  route: RouteSpec;
  pathParameters: Record<string, string>;
}

function compile(route: RouteSpec): CompiledRoute {
  if (route.routeKey === '$default') return { route, method: 'ANY', segments: [], isDefault: true };
  const [method = 'ANY', path = '/'] = route.routeKey.split(' ');
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((s) => {
      const param = /^\{([^}]+?)(\+)?\}$/.exec(s);
      return param?.[1] ? { param: param[1], greedy: param[2] === '+' } : { literal: s };
    });
  return { route, method: method.toUpperCase(), segments, isDefault: false };
}

/** Higher is more specific: literal segments before parameters before a greedy tail; a method before ANY. */
function rank(r: CompiledRoute): number[] {
  return [
    r.isDefault ? 0 : 1,
    ...r.segments.map((s) => (s.literal !== undefined ? 3 : s.greedy ? 1 : 2)),
    r.method === 'ANY' ? 0 : 1,
  ];
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (b[i] ?? -1) - (a[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

function matchPath(r: CompiledRoute, parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < r.segments.length; i++) {
    const s = r.segments[i];
    const part = parts[i];
    if (!s) return undefined;
    if (s.greedy && s.param) {
      if (i >= parts.length) return undefined;
      params[s.param] = parts.slice(i).map(decodeURIComponent).join('/');
      return params;
    }
    if (part === undefined) return undefined;
    if (s.literal !== undefined && s.literal !== part) return undefined;
    if (s.param) params[s.param] = decodeURIComponent(part);
  }
  return parts.length === r.segments.length ? params : undefined;
}

/** API Gateway HTTP API route selection: the most specific route key matching method and path. */
export class RouteTable {
  private readonly routes: CompiledRoute[];

  constructor(routes: readonly RouteSpec[]) {
    this.routes = routes.map(compile).sort((a, b) => compare(rank(a), rank(b)));
  }

  match(method: string, path: string): RouteMatch | undefined {
    const parts = path.split('/').filter(Boolean);
    for (const r of this.routes) {
      if (r.method !== 'ANY' && r.method !== method.toUpperCase()) continue;
      if (r.isDefault) return { route: r.route, pathParameters: {} };
      const params = matchPath(r, parts);
      if (params) return { route: r.route, pathParameters: params };
    }
    return undefined;
  }
}
