import type { ObjectRow } from '../../db/prisma.js';

/** A material_object row as raw SQL returns it (row_to_json or pg driver), mapped to Prisma's shape. */
export interface ObjectSqlRow {
  id: number;
  euid: string;
  category: string;
  type: string;
  subtype: string;
  template_id: number;
  status: string;
  name: string;
  properties: unknown;
  external_id: string | null;
  external_scope: string;
  barcode: string | null;
  layout_rows: number | null;
  layout_columns: number | null;
  deleted_at: string | Date | null;
  created_at: string | Date;
  updated_at: string | Date;
}

const toDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));

export function objectFromSql(r: ObjectSqlRow): ObjectRow {
  return {
    id: r.id,
    euid: r.euid,
    category: r.category,
    type: r.type,
    subtype: r.subtype,
    templateId: r.template_id,
    status: r.status,
    name: r.name,
    properties: (typeof r.properties === 'string' ? JSON.parse(r.properties) : r.properties) as ObjectRow['properties'],
    externalId: r.external_id,
    externalScope: r.external_scope,
    barcode: r.barcode,
    layoutRows: r.layout_rows,
    layoutColumns: r.layout_columns,
    deletedAt: r.deleted_at === null ? null : toDate(r.deleted_at),
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
  };
}
