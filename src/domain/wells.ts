// Well positions: row letter A..P (16 rows) and column 1..24, e.g. "A1", "P24".
export const MAX_ROWS = 16;
export const MAX_COLUMNS = 24;
const POSITION_RE = /^([A-P])(\d{1,2})$/;

export interface Layout {
  rows: number;
  columns: number;
}

export interface Well {
  position: string;
  row: number; // 1-based
  column: number; // 1-based
}

export function parsePosition(raw: string): Well | undefined {
  const m = POSITION_RE.exec(raw.trim().toUpperCase());
  if (!m) return undefined;
  const row = m[1].charCodeAt(0) - 64;
  const column = Number(m[2]);
  if (column < 1 || column > MAX_COLUMNS || String(column) !== m[2]) return undefined;
  return { position: `${m[1]}${column}`, row, column };
}

export function isValidLayout(layout: Layout): boolean {
  return (
    Number.isInteger(layout.rows) && Number.isInteger(layout.columns) &&
    layout.rows >= 1 && layout.rows <= MAX_ROWS && layout.columns >= 1 && layout.columns <= MAX_COLUMNS
  );
}

export function fitsLayout(well: Well, layout: Layout): boolean {
  return well.row <= layout.rows && well.column <= layout.columns;
}

export function positionName(row: number, column: number): string {
  return `${String.fromCharCode(64 + row)}${column}`;
}

/** Every well of a layout in row-major order (A1, A2, … B1 …). */
export function allPositions(layout: Layout): string[] {
  const out: string[] = [];
  for (let r = 1; r <= layout.rows; r++) for (let c = 1; c <= layout.columns; c++) out.push(positionName(r, c));
  return out;
}
