import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/**
 * Which blob ids some row still points at. The convention, written in the README: a column
 * that holds a blob id is named `blob_id` or `<something>_blob_id`. The columns are found in
 * the schema on every sweep, so a table added by any lib (documents, exports, …) is covered
 * without registering it here, and files imports no other lib.
 */
@Injectable()
export class BlobReferences {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The subset of `ids` referenced by any row of any table, in any dealership. */
  async referenced(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const columns = (await this.dataSource.query(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = current_schema() AND data_type = 'uuid' AND (column_name = 'blob_id' OR column_name LIKE '%\\_blob\\_id')`,
    )) as { table_name: string; column_name: string }[];
    if (columns.length === 0) throw new Error('no blob_id column found: refusing to treat every blob as an orphan');
    const union = columns.map((c) => `SELECT ${ident(c.column_name)} AS id FROM ${ident(c.table_name)} WHERE ${ident(c.column_name)} = ANY($1::uuid[])`).join(' UNION ');
    const rows = (await this.dataSource.query(union, [ids])) as { id: string }[];
    return new Set(rows.map((r) => r.id));
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
