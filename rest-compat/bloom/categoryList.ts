import type { Request } from 'express';
import type { RestDoor } from '../../src/http/app.js';
import { listObjectsByOffset } from '../../src/services/objects/readObjects.js';

/** Bloom's paged list of one category (`/containers/`, `/content/`): `{items, total, page, page_size}`. */
export async function categoryList(
  door: RestDoor,
  req: Request,
  category: string,
  typeKey: 'container_type' | 'content_type',
  q: { type?: string; subtype?: string; status?: string; page: number; page_size: number },
) {
  const { rows, total } = await listObjectsByOffset(
    door.context(req).db,
    { category, type: q.type, subtype: q.subtype, status: q.status },
    (q.page - 1) * q.page_size,
    q.page_size,
  );
  return {
    items: rows.map((o) => ({ euid: o.euid, name: o.name, [typeKey]: o.type, subtype: o.subtype, status: o.status })),
    total,
    page: q.page,
    page_size: q.page_size,
  };
}
