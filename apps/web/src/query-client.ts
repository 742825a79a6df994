import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/api-error';

/** Retry only what may pass on a second try (network, 5xx, 429); a 4xx answer will not change. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (count, error) => count < 2 && (!(error instanceof ApiError) || error.status >= 500 || error.status === 429),
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
