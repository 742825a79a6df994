import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import request from 'supertest';

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  user: { id: string; email: string; name: string; role: string };
  dealership: { id: string; name: string };
}

export const STRONG_PASSWORD = 'correct horse battery staple';

export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomBytes(4).toString('hex')}@dealer.example`;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Signs up a new dealership through the real endpoint and returns its owner's session. */
export async function registerDealership(app: INestApplication, name = 'Test Motors'): Promise<Session> {
  const res = await request(app.getHttpServer())
    .post('/api/v1/auth/register')
    .send({ dealershipName: name, name: 'Owner', email: uniqueEmail('owner'), password: STRONG_PASSWORD })
    .expect(201);
  return res.body as Session;
}

/** Creates a user in the caller's dealership and signs them in. */
export async function addUser(app: INestApplication, admin: Session, role: 'owner' | 'admin' | 'staff'): Promise<Session> {
  const email = uniqueEmail(role);
  await request(app.getHttpServer())
    .post('/api/v1/users')
    .set(bearer(admin.accessToken))
    .send({ email, name: `A ${role}`, role, password: STRONG_PASSWORD })
    .expect(201);
  const res = await request(app.getHttpServer()).post('/api/v1/auth/login').send({ email, password: STRONG_PASSWORD }).expect(200);
  return res.body as Session;
}
