import createClient, { type Middleware } from 'openapi-fetch';
import { ApiError } from './api-error';
import type { paths } from './schema';

type Result<T> = { data?: T; error?: unknown; response: Response };

// Same origin: the api serves the console. fetch is looked up per call, not captured at import.
const options = { baseUrl: window.location.origin, fetch: (request: Request) => globalThis.fetch(request) };

const throwOnError: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await ApiError.fromResponse(response);
    return undefined;
  },
};

/** Calls that need no token (sign-in, register, refresh). */
export const publicApi = createClient<paths>(options);
publicApi.use(throwOnError);

/** Calls as the signed-in user: the token is read (and refreshed when close to expiry) per request. */
export function createAuthedApi(accessToken: () => Promise<string | null>) {
  const client = createClient<paths>(options);
  client.use({
    async onRequest({ request }) {
      const token = await accessToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  });
  client.use(throwOnError);
  return client;
}

export type AuthedApi = ReturnType<typeof createAuthedApi>;

/**
 * openapi-fetch resolves with `{ data, error }`; our middleware already threw on errors, so
 * this only gives the body its view type (responses are not in the OpenAPI document yet).
 */
export async function body<T>(call: Promise<Result<unknown>>): Promise<T> {
  const { data } = await call;
  return data as T;
}
