import { mapError } from './http-error-mapping';

describe('mapError', () => {
  it('answers an exhausted database pool with 503 SERVICE_BUSY, not 500', () => {
    expect(mapError(new Error('timeout exceeded when trying to connect'), 1024)).toMatchObject({ status: 503, code: 'SERVICE_BUSY', unexpected: false });
  });

  it('keeps unknown errors a logged 500 without detail', () => {
    expect(mapError(new Error('boom'), 1024)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', message: 'Something went wrong on our side.', unexpected: true });
  });
});
