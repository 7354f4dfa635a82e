/**
 * Artifact tiers: which images and chart versions a customer may pull from the Distr registry.
 * - specific tags: the chart only in the versions the customer was certified for;
 * - all: every tag of the backend, including ones pushed later (Distr's own all-versions grant);
 * - future tags of a major: the frontend's 2.x tags; the range is resolved on every run, so a newly pushed 2.3.0
 *   is granted by the next `pulumi up` while a 3.0.0 is not.
 */
import * as distr from "pulumi-distr";

const acme = new distr.Customer("acme", { name: "ACME Corp", features: ["deployment_targets", "artifacts"] });

const images = new distr.ArtifactLicense("acme-images", {
  customer: acme.id,
  expiresAt: "2027-06-30T00:00:00Z",
  artifacts: [
    { artifact: "hello-distr/backend", tags: "all" },
    { artifact: "hello-distr/frontend", tags: { range: "^2" } },
    { artifact: "hello-distr/chart", tags: ["1.2.0", "1.3.0"] },
  ],
});

export const artifactLicense = images.id;
