import { z } from "zod";

export const ArtifactTagSchema = z.object({
  id: z.string(),
  name: z.string(),
});

/** A digest row of an artifact (section 9.2): its `id` is what artifact licenses select, its tags point to it. */
export const ArtifactVersionSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  digest: z.string(),
  manifestContentType: z.string().optional(),
  tags: z.array(ArtifactTagSchema),
  size: z.number().optional(),
  inferredType: z.string().optional(),
});
export type ArtifactVersion = z.infer<typeof ArtifactVersionSchema>;

/** `GET /artifacts` elements (no versions) and `GET /artifacts/{id}` (versions; omitted when empty on 2.x). */
export const ArtifactSchema = z.object({
  id: z.string(),
  createdAt: z.string(),
  name: z.string(),
  versions: z.array(ArtifactVersionSchema).optional(),
});
export type Artifact = z.infer<typeof ArtifactSchema>;
