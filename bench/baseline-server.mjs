// The baseline for the framework tax: Node's own HTTP server answering the same JSON as
// /health/live, with nothing in between. Started as its own process, like the api.
import { createServer } from 'node:http';

const body = JSON.stringify({ status: 'ok' });
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(Number(process.env.PORT ?? 3899), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
