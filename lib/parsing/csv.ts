/**
 * Minimal RFC 4180 CSV: quoting for writing Loghub's structured CSV, and reading (for ground-truth files).
 * @module
 */

/** Quotes one CSV field when it holds a comma, quote, CR or LF (or leading/trailing space). */
export function csvField(value: string): string {
  if (/[",\r\n]|^\s|\s$/.test(value)) return '"' + value.replaceAll('"', '""') + '"';
  return value;
}

/** Joins fields into one CSV record (without line ending). */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(",");
}

/** Parses CSV text into records of fields (quoted fields may hold commas, quotes and newlines). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
