/**
 * The desired state handed to the test program (test/engine/programs/licenses) as the stack config value `spec`.
 * Mirrors the program's zod schema; the program parses it again, so a mismatch fails loudly.
 */
export type Selection = "all" | string[] | { range: string; includePrerelease?: boolean };
export type Adopt = true | { id: string };

export interface CustomerSpec {
  resource: string;
  name: string;
  features?: string[];
  adopt?: Adopt;
}

export interface ApplicationLicenseSpec {
  resource: string;
  /** Absent: a license without customer. */
  customer?: string;
  name?: string;
  application: string;
  versions: Selection;
  expiresAt?: string;
  /** The password comes from the secret stack config value `registryPassword`. */
  registry?: { url: string; username: string };
  adopt?: Adopt;
}

export interface ArtifactLicenseSpec {
  resource: string;
  customer?: string;
  name?: string;
  artifacts: Array<{ artifact: string; tags: Selection }>;
  expiresAt?: string;
  adopt?: Adopt;
}

export interface ProgramSpec {
  customers: CustomerSpec[];
  applicationLicenses?: ApplicationLicenseSpec[];
  artifactLicenses?: ArtifactLicenseSpec[];
}

export const LICENSES_PROGRAM = "test/engine/programs/licenses";
