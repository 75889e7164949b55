export * from "./accounts";
export * from "./events";
export * from "./scoring";
export * from "./markers";
export * from "./audit";
export * from "./tags";
export * from "./auth";
export * from "./aggregate-changes";
