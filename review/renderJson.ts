/**
 * The review as JSON for other tools: `reviewReportSchema` (report.ts) is the contract, checked on the way out so
 * the output always parses with it. Stable key order (the schema's), two-space indentation, a final newline.
 */
import { reviewReportSchema, type ReviewReport } from "./report";

export function renderJson(report: ReviewReport): string {
  return `${JSON.stringify(reviewReportSchema.parse(report), null, 2)}\n`;
}
