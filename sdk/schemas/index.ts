export * from "./customer";
export * from "./application";
export * from "./artifact";
export * from "./organization";
export * from "./applicationLicense";
export * from "./artifactLicense";
export * from "./licenseKey";
export * from "./licenseTemplate";
