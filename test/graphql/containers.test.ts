import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { GDNA, PLATE_96, TUBE, create, place } from '../helpers/fixtures.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(async () => {
  await t?.close();
});

describe('placeInContainer', () => {
  it('places content in a well and shows it from both sides', async () => {
    const plate = await create(t, { templateCode: PLATE_96 });
    const s = await create(t, { templateCode: GDNA });
    const r = ok(await place(t, plate, s, 'b3'));
    expect(r.placeInContainer).toEqual({ position: 'B3', row: 2, column: 3 });

    const view = ok(await t.gql(`{
      plate: object(euid: "${plate}") { ... on Container { contents { position content { id } } wells { position content { id } } } }
      sample: object(euid: "${s}") { placement { position containerEuid container { id } } }
    }`));
    expect(view.plate.contents).toEqual([{ position: 'B3', content: { id: s } }]);
    expect(view.plate.wells).toHaveLength(96);
    expect(view.plate.wells.find((w: any) => w.position === 'B3').content).toEqual({ id: s });
    expect(view.plate.wells.filter((w: any) => w.content)).toHaveLength(1);
    expect(view.sample.placement).toEqual({ position: 'B3', containerEuid: plate, container: { id: plate } });
  });

  it('validates the well against the layout (A1…H12 on a 96-well plate)', async () => {
    const plate = await create(t, { templateCode: PLATE_96 });
    const s = await create(t, { templateCode: GDNA });
    for (const pos of ['I1', 'A13', 'Z9', 'A0', '11']) {
      const r = await place(t, plate, s, pos);
      expect(r.errors?.[0].extensions?.code, pos).toBe('BAD_USER_INPUT');
    }
    const none = await place(t, plate, s);
    expect(none.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(ok(await place(t, plate, s, 'H12')).placeInContainer.position).toBe('H12');
  });

  it('allows one content per well and one place per content', async () => {
    const plate = await create(t, { templateCode: PLATE_96 });
    const a = await create(t, { templateCode: GDNA });
    const b = await create(t, { templateCode: GDNA });
    ok(await place(t, plate, a, 'A1'));
    const taken = await place(t, plate, b, 'A1');
    expect(taken.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', detail: 'position_occupied' });
    const twice = await place(t, plate, a, 'A2');
    expect(twice.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', detail: 'content_already_placed' });
  });

  it('holds several contents in a tube without positions, and refuses a position there', async () => {
    const tube = await create(t, { templateCode: TUBE });
    const a = await create(t, { templateCode: GDNA });
    const b = await create(t, { templateCode: GDNA });
    ok(await place(t, tube, a));
    ok(await place(t, tube, b));
    const c = await create(t, { templateCode: GDNA });
    expect((await place(t, tube, c, 'A1')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const r = ok(await t.gql(`{ object(euid: "${tube}") { ... on Container { layout { rows } contents { position content { id } } wells { position } } } }`));
    expect(r.object.layout).toBeNull();
    expect(r.object.wells).toEqual([]);
    expect(r.object.contents).toEqual([{ position: null, content: { id: a } }, { position: null, content: { id: b } }]);
  });

  it('refuses wrong kinds and unknown ids', async () => {
    const plate = await create(t, { templateCode: PLATE_96 });
    const s = await create(t, { templateCode: GDNA });
    expect((await place(t, s, plate, 'A1')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await place(t, plate, plate, 'A1')).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await place(t, 'BCN-ZZZZ', s, 'A1')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await place(t, plate, 'BCT-ZZZZ', 'A1')).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('removes content, freeing the well; deleting content frees its well too', async () => {
    const plate = await create(t, { templateCode: PLATE_96 });
    const a = await create(t, { templateCode: GDNA });
    ok(await place(t, plate, a, 'C5'));
    const rm = ok(await t.gql(`mutation { removeFromContainer(input: { containerEuid: "${plate}", contentEuid: "${a}" }) { euid deleted } }`));
    expect(rm.removeFromContainer).toEqual({ euid: a, deleted: true });
    const again = await t.gql(`mutation { removeFromContainer(input: { containerEuid: "${plate}", contentEuid: "${a}" }) { euid } }`);
    expect(again.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const b = await create(t, { templateCode: GDNA });
    ok(await place(t, plate, b, 'C5'));
    ok(await t.gql(`mutation { deleteObject(euid: "${b}") { deleted } }`));
    expect(ok(await place(t, plate, a, 'C5')).placeInContainer.position).toBe('C5');
  });

  it('two concurrent placements into one well: exactly one wins, the other is a CONFLICT', async () => {
    const plate = await create(t, { templateCode: PLATE_96 });
    const contents = await Promise.all(Array.from({ length: 6 }, () => create(t, { templateCode: GDNA })));
    const results = await Promise.all(contents.map((c) => place(t, plate, c, 'D4')));
    const wins = results.filter((r) => !r.errors);
    expect(wins).toHaveLength(1);
    for (const r of results.filter((r) => r.errors)) expect(r.errors?.[0].extensions?.code).toBe('CONFLICT');
  });
});
