import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface DealershipSummary {
  id: string;
  name: string;
  createdAt: string;
  activeUsers: number;
}

/**
 * Cross-dealership reads for operators of the deployment (the `platform` role). Deliberately
 * the only tenant-less service of this lib besides sign-in, and read-only.
 */
@Injectable()
export class PlatformService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async dealerships(): Promise<{ items: DealershipSummary[]; nextCursor: null }> {
    const rows = (await this.dataSource.query(
      `SELECT d.id, d.name, d.created_at, count(u.id) FILTER (WHERE u.active)::int AS active_users
         FROM dealerships d LEFT JOIN users u ON u.dealership_id = d.id
        GROUP BY d.id ORDER BY d.created_at DESC LIMIT 500`,
    )) as { id: string; name: string; created_at: Date; active_users: number }[];
    return {
      items: rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at.toISOString(), activeUsers: r.active_users })),
      nextCursor: null,
    };
  }
}
