/** Limits of the paper signatures' import (ADR 134), shared by the server's checks and the organisers' page. */
export const PAPER_MAX_BYTES = 2 * 1024 * 1024
export const PAPER_MAX_ROWS = 10_000
export const PAPER_FIELD_MAX = 200
/** Rows of the form for one sheet. */
export const SHEET_ROWS = 12
