import { z } from "zod";

/** An application version as Distr serialises it (section 9.1); archived versions carry `archivedAt`. */
export const ApplicationVersionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  archivedAt: z.string().optional(),
  name: z.string(),
  linkTemplate: z.string().optional(),
  applicationId: z.string().optional(),
  chartType: z.string().optional(),
  chartName: z.string().optional(),
  chartUrl: z.string().optional(),
  chartVersion: z.string().optional(),
});
export type ApplicationVersion = z.infer<typeof ApplicationVersionSchema>;

/** `GET /applications` elements and `GET /applications/{id}` (versions by createdAt, archived included). */
export const ApplicationSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  type: z.string(),
  imageId: z.string().optional(),
  imageUrl: z.string().optional(),
  versions: z.array(ApplicationVersionSchema).nullable().optional(),
});
export type Application = z.infer<typeof ApplicationSchema>;
