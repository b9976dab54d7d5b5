/**
 * Every public route of the API, by the function that serves it: the one table the CDK stack
 * (API Gateway routes) and the local gateway both read. Data only, so neither imports a handler.
 */
export const routesByHandler = {
  webhook: [{ method: 'POST', path: '/webhooks/hubspot' }],
  survey: [
    { method: 'GET', path: '/s/{token}' },
    { method: 'POST', path: '/s/{token}' },
    { method: 'GET', path: '/s/{token}/check' },
    { method: 'GET', path: '/u/{token}' },
    { method: 'POST', path: '/u/{token}' },
  ],
  card: [{ method: 'GET', path: '/card' }],
  report: [{ method: 'GET', path: '/report' }],
  settings: [
    { method: 'GET', path: '/settings' },
    { method: 'PUT', path: '/settings/portal' },
    { method: 'PUT', path: '/settings/touchpoints/{id}' },
    { method: 'DELETE', path: '/settings/touchpoints/{id}' },
    { method: 'POST', path: '/settings/templates/{templateId}' },
    { method: 'POST', path: '/settings/test-survey' },
    { method: 'POST', path: '/settings/interviews' },
    { method: 'POST', path: '/settings/interviews/names' },
    { method: 'DELETE', path: '/settings/install' },
  ],
  oauth: [
    { method: 'GET', path: '/oauth/install' },
    { method: 'GET', path: '/oauth/callback' },
  ],
} as const satisfies Record<string, readonly { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string }[]>;

export type ApiHandlerName = keyof typeof routesByHandler;
export type ApiRoute = (typeof routesByHandler)[ApiHandlerName][number];

/** API Gateway's route key, as `event.routeKey` carries it: "PUT /settings/touchpoints/{id}". */
export const routeKey = ({ method, path }: ApiRoute): string => `${method} ${path}`;

/** The route keys one function serves, as a type: a table keyed by it must serve every one. */
export type RouteKeyOf<Name extends ApiHandlerName> = (typeof routesByHandler)[Name][number] extends infer Route
  ? Route extends { method: infer Method extends string; path: infer Path extends string }
    ? `${Method} ${Path}`
    : never
  : never;
