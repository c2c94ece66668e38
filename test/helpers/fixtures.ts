import { ok, type TestGateway } from './gateway.js';

export const PLATE_96 = 'container/plate/fixed-plate-96/1.0';
export const TUBE = 'container/tube/tube-generic-10ml/1.0';
export const GDNA = 'content/sample/gdna/1.0';
export const SAMPLE = 'content/sample/generic/1.0';
export const BLOOD = 'content/specimen/blood-whole/1.0';

export async function create(t: TestGateway, input: Record<string, unknown>, headers: Record<string, string> = {}): Promise<string> {
  const r = await t.gql<{ createObject: { id: string } }>(
    `mutation($input: CreateObjectInput!) { createObject(input: $input) { id } }`,
    { input },
    headers,
  );
  return ok(r).createObject.id;
}

export async function link(t: TestGateway, parentEuid: string, childEuid: string, relationshipType?: string, headers: Record<string, string> = {}): Promise<string> {
  const r = await t.gql<{ linkLineage: { id: string } }>(
    `mutation($input: LinkLineageInput!) { linkLineage(input: $input) { id } }`,
    { input: { parentEuid, childEuid, ...(relationshipType ? { relationshipType } : {}) } },
    headers,
  );
  return ok(r).linkLineage.id;
}

export async function place(t: TestGateway, containerEuid: string, contentEuid: string, position?: string, headers: Record<string, string> = {}) {
  return t.gql(
    `mutation($input: PlaceInput!) { placeInContainer(input: $input) { position row column } }`,
    { input: { containerEuid, contentEuid, ...(position ? { position } : {}) } },
    headers,
  );
}
