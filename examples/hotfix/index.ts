/**
 * Hotfix: Initech runs Hello Distr 1.x on the Starter plan. A fix they need shipped in 2.1.0, so they get exactly
 * that version for a limited time, next to their plan, without moving them to Pro. When the hotfix license
 * expires or is removed from the program, `pulumi up` deletes it and their plan is untouched.
 */
import * as distr from "pulumi-distr";

const initech = new distr.Customer("initech", { name: "Initech" });

const starter = new distr.ApplicationLicense("initech-starter", {
  customer: initech.id,
  application: "hello-distr",
  versions: { range: ">=1.1.0 <2.0.0" },
  expiresAt: "2027-01-31T00:00:00Z",
});

const hotfix = new distr.ApplicationLicense("initech-hotfix-2-1-0", {
  customer: initech.id,
  application: "hello-distr",
  versions: ["2.1.0"],
  expiresAt: "2026-12-31T00:00:00Z",
});

export const starterLicense = starter.id;
export const hotfixLicense = hotfix.id;
