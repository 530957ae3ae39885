import type { ApiEvent } from '#http/api';

/** An API Gateway v2 event as the JWT authorizer delivers it (groups as API Gateway renders them). */
export function apiEvent(
  routeKey: string,
  options: {
    params?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
    groups?: string[];
    region?: string;
    province?: string;
    sub?: string;
  } = {},
): ApiEvent {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const claims: Record<string, string> = {};
  if (options.groups) {
    claims.sub = options.sub ?? 'user-1';
    claims['cognito:groups'] = `[${options.groups.join(' ')}]`;
    if (options.region) claims['custom:region'] = options.region;
    if (options.province) claims['custom:province'] = options.province;
  }
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: options.headers ?? {},
    ...(options.params ? { pathParameters: options.params } : {}),
    ...(options.query ? { queryStringParameters: options.query } : {}),
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'req-1',
      routeKey,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } },
    },
  } as ApiEvent;
}
