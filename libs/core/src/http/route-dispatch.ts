import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost } from '@nestjs/core';
import { Router } from 'express';
import type { NextFunction, Request, Response } from 'express';

type RouteLayer = { route?: { path?: unknown } };
type ExpressRouter = { stack?: RouteLayer[] };

/**
 * Lets a request try only the routes that can match it. Express tries its layers one by one, and
 * Nest registers every route as its own layer: a request under /api/v1 was matched against up to
 * ~70 patterns (a 404 against all of them; the router's walk was 12-15% of a logged 404's CPU).
 *
 * At bootstrap, once Nest has registered every route, each run of route layers is grouped by
 * the route's leading literal segment (the segment after the global prefix for prefixed routes:
 * `/api/v1/documents/:id` → `/api/v1/documents`, `/health/live` → `/health`) and replaced by one
 * layer that looks the request's own leading segment up and hands it to that group's routes, in
 * their original order. A route's leading segments are literal, so a request can only match
 * routes of its own group: which route answers does not change, only how soon it is found.
 * Middleware keeps its place; a run with a route whose leading segment is not literal is left
 * as it is. The layers themselves move unchanged (their full paths, so `req.baseUrl` and
 * `req.route.path` read as before: the metrics' route label).
 */
@Injectable()
export class RouteDispatch implements OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly appConfig: ApplicationConfig,
  ) {}

  onApplicationBootstrap(): void {
    const router = (this.adapterHost.httpAdapter?.getInstance?.() as { router?: ExpressRouter } | undefined)?.router;
    if (router?.stack) dispatchRoutesBySegment(router.stack, this.appConfig.getGlobalPrefix());
  }
}

/** Replaces, in place, each run of route layers by one layer dispatching on the leading segment. */
export function dispatchRoutesBySegment(stack: RouteLayer[], globalPrefix = ''): void {
  const keyOf = dispatchKey(globalPrefix);
  for (let start = 0; start < stack.length; start += 1) {
    if (!stack[start].route) continue;
    let end = start;
    while (end < stack.length && stack[end].route) end += 1;
    const run = stack.slice(start, end);
    const keys = run.map((layer) => (typeof layer.route?.path === 'string' ? keyOf(layer.route.path) : undefined));
    if (run.length > 1 && keys.every((key) => key !== undefined && !/[:*?(){}+\\]/.test(key))) {
      stack.splice(start, run.length, dispatchLayer(groupByKey(run, keys as string[]), keyOf));
    } else {
      start = end - 1;
    }
  }
}

function groupByKey(run: RouteLayer[], keys: string[]): Map<string, Router> {
  const groups = new Map<string, Router>();
  run.forEach((layer, index) => {
    let group = groups.get(keys[index]);
    if (!group) groups.set(keys[index], (group = Router()));
    (group.stack as RouteLayer[]).push(layer);
  });
  return groups;
}

/** One Express layer (taken from a router that made it) that hands a request to its group's routes. */
function dispatchLayer(groups: Map<string, Router>, keyOf: (path: string) => string | undefined): RouteLayer {
  const holder = Router();
  holder.use(function routeDispatch(req: Request, res: Response, next: NextFunction) {
    const key = keyOf(req.path);
    const group = key === undefined ? undefined : groups.get(key);
    if (!group) return next();
    group(req, res, next);
  });
  return holder.stack[0] as RouteLayer;
}

/**
 * A path's leading segment, lower-cased (Express routes match case-insensitively), with the
 * global prefix's segments in front when the path starts with them. Route paths and request
 * paths go through the same function, so a request and the routes that can match it agree.
 */
function dispatchKey(globalPrefix: string): (path: string) => string | undefined {
  const prefix = globalPrefix.replace(/^\/+|\/+$/g, '').toLowerCase();
  const prefixPath = prefix ? `/${prefix}/` : undefined;
  return (path) => {
    const lower = path.toLowerCase();
    const from = prefixPath && lower.startsWith(prefixPath) ? prefixPath.length : 1;
    if (lower[0] !== '/') return undefined;
    const slash = lower.indexOf('/', from);
    return slash < 0 ? lower : lower.slice(0, slash);
  };
}
