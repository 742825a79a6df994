import type { INestApplication } from '@nestjs/common';
import { Outbox } from '@showroom/core';
import { DocumentEvents, type DealershipDocumentEvent } from '@showroom/rag';
import { randomUUID } from 'node:crypto';
import type { Subscription } from 'rxjs';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/create-api-app';
import { DocumentLifecycle } from '../libs/rag/src/documents/document-lifecycle';
import { IngestDocumentJob } from '../libs/rag/src/ingestion/ingestion.jobs';
import { bearer, registerDealership } from './support/auth-helpers';
import { TestContext } from './support/test-context';
import { waitFor } from './support/wait-for';

/**
 * DocumentLifecycle on the real api, Postgres and Redis, with no worker (so nothing moves the
 * document but this test): each change is guarded by the document's state, generation and
 * dealership, a change that did not happen publishes nothing, and every one that did publishes
 * the progress event, in order.
 */
describe('document lifecycle', () => {
  let ctx: TestContext;
  let api: INestApplication;
  let subscription: Subscription;
  const events: DealershipDocumentEvent[] = [];

  beforeAll(async () => {
    ctx = await TestContext.create();
    api = await createApiApp(ctx.config());
    await api.init();
    subscription = api.get(DocumentEvents).streamAll().subscribe((event) => events.push(event));
  });

  afterAll(async () => {
    subscription?.unsubscribe();
    await api?.close();
    await ctx?.dispose();
  });

  const row = async (id: string) =>
    (await ctx.db.query('SELECT status, progress, error, ingest_attempts FROM documents WHERE id = $1', [id])).rows[0] as {
      status: string;
      progress: number;
      error: string | null;
      ingest_attempts: number;
    };

  it('changes only what its guard allows, scoped to the dealership, and publishes every change it made', async () => {
    const owner = await registerDealership(api, 'Lifecycle Motors');
    const tenant = { dealershipId: owner.dealership.id };
    const upload = await request(api.getHttpServer())
      .post('/api/v1/documents')
      .set(bearer(owner.accessToken))
      .attach('file', Buffer.from('Loan cars are free during warranty repairs.'), 'loaners.txt')
      .expect(202);
    const doc = { id: upload.body.id as string, generation: 0, chunkCount: 0 };
    const lifecycle = api.get(DocumentLifecycle, { strict: false });
    let retired = 0;
    const retire = async () => void (retired += 1);

    // Only a document that is processing can progress in embedding or become ready.
    expect(await lifecycle.embedding(tenant, doc, 70)).toBe(false);
    expect(await lifecycle.ready(tenant, doc, 3, retire)).toBe(false);
    expect(retired).toBe(0);

    expect(await lifecycle.processing(tenant, doc, 5)).toBe(true);
    expect(await lifecycle.embedding(tenant, doc, 60)).toBe(true);
    expect(await lifecycle.embedding(tenant, doc, 55)).toBe(false); // a late batch never moves progress back
    expect(await row(doc.id)).toMatchObject({ status: 'processing', progress: 60 });

    // An older generation, another dealership, or a restart someone else already made change nothing.
    expect(await lifecycle.fail(tenant, { ...doc, generation: 1 }, 'stale')).toBe(false);
    expect(await lifecycle.fail({ dealershipId: randomUUID() }, doc, 'not yours')).toBe(false);
    expect(await lifecycle.restart(tenant, { ...doc, ingestAttempts: 2 })).toBe(false);
    expect(await row(doc.id)).toMatchObject({ status: 'processing', progress: 60, error: null, ingest_attempts: 0 });

    expect(await lifecycle.restart(tenant, { ...doc, ingestAttempts: 0 })).toBe(true);
    expect(await row(doc.id)).toMatchObject({ status: 'queued', progress: 0, ingest_attempts: 1 });
    expect(await api.get(Outbox).unsettled([IngestDocumentJob], [{ documentId: doc.id, generation: 0 }])).toEqual([true]);

    expect(await lifecycle.fail(tenant, doc, 'Gave up.')).toBe(true);
    expect(await lifecycle.fail(tenant, doc, 'Gave up twice.')).toBe(false);
    expect(await row(doc.id)).toMatchObject({ status: 'failed', progress: 100, error: 'Gave up.' });

    // Events of one channel arrive in the order they were published: the last one closes the list.
    const mine = () => events.filter((e) => e.documentId === doc.id).map(({ status, progress, error }) => ({ status, progress, error }));
    await waitFor('the failure event', () => mine().some((e) => e.status === 'failed'));
    expect(mine()).toEqual([
      { status: 'queued', progress: 0, error: null },
      { status: 'processing', progress: 5, error: null },
      { status: 'processing', progress: 60, error: null },
      { status: 'queued', progress: 0, error: null },
      { status: 'failed', progress: 100, error: 'Gave up.' },
    ]);
    expect(events.filter((e) => e.documentId === doc.id).every((e) => e.dealershipId === tenant.dealershipId)).toBe(true);
  });
});
