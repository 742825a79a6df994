import express from 'express';
import request from 'supertest';
import { moveInfrastructureRoutesFirst } from './infrastructure-routes-first';

type Layer = { name: string; route?: { path: string; methods: Record<string, boolean> } };

/** An app shaped like the api's router: middleware, a block of routes with the probes last, then the any-method not-found handlers. */
function appShapedLikeTheApi() {
  const app = express();
  app.use((_req, res, next) => {
    res.setHeader('X-Seen-By', 'middleware');
    next();
  });
  for (let i = 0; i < 20; i += 1) app.get(`/api/v1/things${i}/:id`, (_req, res) => res.json({ route: i }));
  app.get('/api/v1/shadow', (_req, res) => res.json({ route: 'shadow' }));
  app.get('/metrics', (_req, res) => res.send('metrics'));
  app.get('/health/live', (_req, res) => res.json({ status: 'ok' }));
  app.use((req, res, next) => (req.path.startsWith('/api/v1') ? res.status(404).json({ error: 'prefix' }) : next()));
  app.all('/health/live', (_req, res) => res.status(404).json({ error: 'method' }));
  return app;
}

const stackOf = (app: express.Express) => (app as unknown as { router: { stack: Layer[] } }).router.stack;
const describeLayer = (layer: Layer) => (layer.route ? `${Object.keys(layer.route.methods).length === 1 ? Object.keys(layer.route.methods)[0] : 'any'} ${layer.route.path}` : 'middleware');

describe('moveInfrastructureRoutesFirst', () => {
  it('puts the GET probe routes at the start of their run of routes and leaves everything else in order', () => {
    const app = appShapedLikeTheApi();
    const before = stackOf(app).map(describeLayer);
    moveInfrastructureRoutesFirst(stackOf(app));
    const after = stackOf(app).map(describeLayer);

    const firstRoute = before.findIndex((name) => name !== 'middleware');
    expect(after.slice(firstRoute, firstRoute + 2)).toEqual(['get /metrics', 'get /health/live']);
    // Same layers; the middleware and the any-method handler keep their positions.
    expect([...after].sort()).toEqual([...before].sort());
    after.forEach((name, index) => {
      if (name === 'middleware' || name.startsWith('any ')) expect(before[index]).toBe(name);
    });
    expect(after.filter((name) => name.startsWith('get /api/v1'))).toEqual(before.filter((name) => name.startsWith('get /api/v1')));
  });

  it('answers every request as before', async () => {
    const app = appShapedLikeTheApi();
    moveInfrastructureRoutesFirst(stackOf(app));

    const live = await request(app).get('/health/live').expect(200, { status: 'ok' });
    expect(live.headers['x-seen-by']).toBe('middleware');
    await request(app).get('/metrics').expect(200, 'metrics');
    await request(app).post('/health/live').expect(404, { error: 'method' });
    await request(app).get('/api/v1/things3/7').expect(200, { route: 3 });
    await request(app).get('/api/v1/nothing').expect(404, { error: 'prefix' });
  });

  it('leaves a router without probe routes alone', () => {
    const app = express();
    app.get('/a', (_req, res) => res.end());
    app.use((_req, _res, next) => next());
    const before = [...stackOf(app)];
    moveInfrastructureRoutesFirst(stackOf(app));
    expect(stackOf(app)).toEqual(before);
  });
});
