import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { INFRASTRUCTURE_PATHS } from './infrastructure-route.decorator';

type RouteLayer = { route?: { path?: unknown; methods?: Record<string, boolean> } };
type ExpressRouter = { stack?: RouteLayer[] };

/**
 * Moves the probe and scrape routes in front of the other routes. Nest registers routes
 * module by module in the order its async scan happens to insert them, which puts core's
 * health and metrics controllers after the ~60 /api/v1 routes: Express then matched each probe
 * against all of those patterns first (on plain Express 5, 70 routes in front of /health/live
 * cost 20% of its throughput). Their paths are exact and no other route shares them, so which
 * route answers a request does not change, only how soon it is found. Only route layers move,
 * within the run of routes Nest registered, so every middleware keeps its place; Nest's
 * any-method not-found handlers for the same paths stay last.
 *
 * Runs at bootstrap: Nest has registered every route by then (routes come before init hooks).
 */
@Injectable()
export class InfrastructureRoutesFirst implements OnApplicationBootstrap {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    const router = (this.adapterHost.httpAdapter?.getInstance?.() as { router?: ExpressRouter } | undefined)?.router;
    if (router?.stack) moveInfrastructureRoutesFirst(router.stack);
  }
}

const isProbeRoute = (layer: RouteLayer): boolean => {
  const { path, methods } = layer.route ?? {};
  return typeof path === 'string' && INFRASTRUCTURE_PATHS.has(path) && methods?.get === true && Object.keys(methods).length === 1;
};

/** Reorders the router's layers in place: the GET probe routes to the start of the run of routes they are in. */
export function moveInfrastructureRoutesFirst(stack: RouteLayer[]): void {
  const first = stack.findIndex(isProbeRoute);
  if (first < 0) return;
  let runStart = first;
  while (runStart > 0 && stack[runStart - 1].route) runStart -= 1;
  let runEnd = first;
  while (runEnd < stack.length && stack[runEnd].route) runEnd += 1;
  const run = stack.slice(runStart, runEnd);
  stack.splice(runStart, run.length, ...run.filter(isProbeRoute), ...run.filter((layer) => !isProbeRoute(layer)));
}
