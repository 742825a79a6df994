import express from 'express';
import request from 'supertest';
import { dispatchRoutesBySegment } from './route-dispatch';

type Layer = { name: string; route?: { path: string } };

/** An app shaped like the api's router: middleware, a run of routes, the prefix's 404, a run of any-method handlers, a final 404. */
function appShapedLikeTheApi() {
  const app = express();
  app.use((_req, res, next) => {
    res.setHeader('X-Seen-By', 'middleware');
    next();
  });
  app.get('/health/live', (_req, res) => res.json({ status: 'ok' }));
  app.get('/metrics', (_req, res) => res.send('metrics'));
  for (let i = 0; i < 20; i += 1) app.get(`/api/v1/things${i}/:id`, (req, res) => res.json({ route: i, id: req.params.id, label: `${req.baseUrl}${req.route?.path}` }));
  app.get('/api/v1/documents', (_req, res) => res.json({ route: 'list' }));
  app.get('/api/v1/documents/:id', (req, res, next) => (req.params.id === 'pass' ? next() : res.json({ route: 'one', id: req.params.id })));
  app.post('/api/v1/documents/:id/reindex', (_req, res) => res.json({ route: 'reindex' }));
  // Registered after an earlier route of the same path: reached only when that one passes.
  app.get('/api/v1/documents/:id', (_req, res) => res.json({ route: 'second' }));
  app.get('/api/v1/fails', () => {
    throw new Error('boom');
  });
  app.get('/v1/models/:model', (req, res) => res.json({ model: req.params.model }));
  app.use('/api/v1', (_req, res) => res.status(404).json({ error: 'prefix' }));
  app.all('/health/live', (_req, res) => res.status(405).json({ error: 'method' }));
  app.all('/metrics', (_req, res) => res.status(405).json({ error: 'method' }));
  app.use((_req, res) => res.status(404).json({ error: 'last' }));
  app.use((error: Error, _req: express.Request, res: express.Response, next: express.NextFunction) => (res.headersSent ? next(error) : res.status(500).json({ error: 'handler' })));
  return app;
}

const stackOf = (app: express.Express) => (app as unknown as { router: { stack: Layer[] } }).router.stack;

/** Every request of the table answers the same with and without dispatch. */
const requests: Array<[method: 'get' | 'post' | 'put', path: string]> = [
  ['get', '/health/live'],
  ['get', '/HEALTH/Live'],
  ['get', '/health/live/'],
  ['post', '/health/live'],
  ['get', '/health'],
  ['get', '/metrics'],
  ['put', '/metrics'],
  ['get', '/api/v1/things3/7'],
  ['get', '/api/v1/things19/x'],
  ['get', '/API/V1/THINGS3/7'],
  ['get', '/api/v1/things3'],
  ['get', '/api/v1/documents'],
  ['get', '/api/v1/documents/'],
  ['get', '/api/v1/documents/9'],
  ['get', '/api/v1/documents/pass'],
  ['post', '/api/v1/documents/9/reindex'],
  ['get', '/api/v1/documents/9/reindex'],
  ['get', '/api/v1/fails'],
  ['get', '/api/v1/nothing-here'],
  ['get', '/api/v1'],
  ['get', '/api/v2/things3/7'],
  ['get', '/v1/models/gpt'],
  ['get', '/v1/models'],
  ['get', '/nope'],
  ['get', '/'],
];

describe('dispatchRoutesBySegment', () => {
  it('answers every request exactly as the plain router does', async () => {
    const plain = appShapedLikeTheApi();
    const dispatched = appShapedLikeTheApi();
    dispatchRoutesBySegment(stackOf(dispatched), 'api/v1');

    for (const [method, path] of requests) {
      const [expected, actual] = await Promise.all([request(plain)[method](path), request(dispatched)[method](path)]);
      expect({ path, method, status: actual.status, body: actual.body, seenBy: actual.headers['x-seen-by'] }).toEqual({
        path,
        method,
        status: expected.status,
        body: expected.body,
        seenBy: expected.headers['x-seen-by'],
      });
    }
  });

  it('keeps the route label the metrics read and the route params', async () => {
    const app = appShapedLikeTheApi();
    dispatchRoutesBySegment(stackOf(app), 'api/v1');
    await request(app).get('/api/v1/things3/7').expect(200, { route: 3, id: '7', label: '/api/v1/things3/:id' });
  });

  it('replaces each run of routes by one layer and leaves middleware in place', () => {
    const app = appShapedLikeTheApi();
    const before = stackOf(app).map((layer) => (layer.route ? 'route' : layer.name));
    dispatchRoutesBySegment(stackOf(app), 'api/v1');
    const after = stackOf(app).map((layer) => (layer.route ? 'route' : layer.name));

    expect(after).toEqual(['<anonymous>', 'routeDispatch', '<anonymous>', 'routeDispatch', '<anonymous>', '<anonymous>']);
    expect(before.filter((name) => name !== 'route')).toEqual(after.filter((name) => name !== 'routeDispatch'));
  });

  it('leaves a run alone when a route does not start with a literal segment', async () => {
    const app = express();
    app.get('/a', (_req, res) => res.send('a'));
    app.get('/:anything', (_req, res) => res.send('param'));
    const before = [...stackOf(app)];
    dispatchRoutesBySegment(stackOf(app));
    expect(stackOf(app)).toEqual(before);
    await request(app).get('/b').expect(200, 'param');
  });
});
